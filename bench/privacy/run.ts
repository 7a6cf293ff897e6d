/**
 * Erasure cost on a synthetic lake: `npx tsx bench/privacy/run.ts [--events N]`
 * (default 1,000,000; `--events 50000` for a quick run). Builds raw behaviour
 * Parquet for 4 tenants over 60 days with DuckDB, then times one student's
 * erasure against a baseline: one full scan of the same files.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pseudonymizer } from '../../core/index.js';
import { DuckDbEngine, sqlString } from '../../jobs/engine/index.js';
import { eraseFromLake } from '../../jobs/privacy/lake-erase.js';
import { runRetention } from '../../jobs/privacy/index.js';
import { parquetFilesUnder } from '../../jobs/privacy/lake-files.js';
import { parseBenchArgs } from '../bench-args.js';

const args = parseBenchArgs({
  usage: `Usage:
  npx tsx bench/privacy/run.ts [--events 1000000]
  npx tsx bench/privacy/run.ts --events 50000    # a quick run`,
  options: { events: { type: 'string', default: '1000000' } },
});
const events = args.number('events', { isWhole: true });
const tenants = 4;
const days = 60;
const studentsPerTenant = 500;
const pseudonymizer = new Pseudonymizer(Buffer.alloc(32, 3));

async function buildLake(engine: DuckDbEngine, lakeRoot: string): Promise<void> {
  const mapping = Array.from({ length: tenants }, (_, t) =>
    Array.from(
      { length: studentsPerTenant },
      (_, s) => `(${t}, ${s}, ${sqlString(pseudonymizer.pseudonym(`t-${t}`, `s-${s}`))})`,
    ),
  ).flat();
  await engine.run(
    `create table students as select * from (values ${mapping.join(', ')}) as m(t, s, p)`,
  );
  mkdirSync(join(lakeRoot, 'raw'), { recursive: true });
  await engine.run(
    `copy (
         select 'e-' || i as event_id, 'quiz.answered' as event_type, 1 as schema_version,
             timestamptz '2026-09-01' + to_days(((i // ${tenants}) % ${days})::integer) as occurred_at,
             timestamptz '2026-09-01' + to_days(((i // ${tenants}) % ${days})::integer) as received_at,
             m.p as actor_id, 'student' as actor_role, m.p as student_id,
             md5(i::varchar) as trace_id, '{"quiz_id":"q1","score":7}' as payload,
             't-' || (i % ${tenants}) as tenant_id,
             (date '2026-09-01' + ((i // ${tenants}) % ${days})::integer) as event_date
         from range(${events}) r(i)
         join students m on m.t = i % ${tenants} and m.s = (hash(i) % ${studentsPerTenant})::integer
     ) to ${sqlString(join(lakeRoot, 'raw', 'behaviour'))}
     (format parquet, compression snappy, partition_by (tenant_id, event_date))`,
  );
}

async function main(): Promise<void> {
  const lakeRoot = mkdtempSync(join(tmpdir(), 'luca-bench-privacy-'));
  try {
    const engine = await DuckDbEngine.open({ threads: 2 });
    let started = performance.now();
    await buildLake(engine, lakeRoot);
    const files = parquetFilesUnder(lakeRoot);
    console.log(`lake: ${events} events, ${files.length} files, built in ${ms(started)} ms`);

    started = performance.now();
    const list = `[${files.map(sqlString).join(', ')}]`;
    await engine.query(`select count(*) from read_parquet(${list}) where contains(payload, 'x')`);
    const baselineMs = ms(started);
    await engine.close();

    started = performance.now();
    const summary = await eraseFromLake(lakeRoot, 't-0', pseudonymizer.pseudonym('t-0', 's-1'));
    const eraseMs = ms(started);
    started = performance.now();
    const again = await eraseFromLake(lakeRoot, 't-0', pseudonymizer.pseudonym('t-0', 's-1'));
    const againMs = ms(started);

    console.log(`baseline full scan: ${baselineMs} ms`);
    console.log(`erasure: ${eraseMs} ms, ${JSON.stringify(summary)}`);
    console.log(`second run (nothing left): ${againMs} ms, rows removed ${again.rows_removed}`);
    console.log(`ratio erasure / full scan: ${(eraseMs / baselineMs).toFixed(1)}x`);

    started = performance.now();
    const dry = await runRetention({ lakeRoot, asOf: '2027-11-01', isDryRun: true });
    const dryMs = ms(started);
    started = performance.now();
    const applied = await runRetention({ lakeRoot, asOf: '2027-11-01' });
    console.log(
      `retention: dry run listed ${dry.partitions.length} partitions in ${dryMs} ms; ` +
        `applied removed ${applied.partitions.length} in ${ms(started)} ms`,
    );
  } finally {
    rmSync(lakeRoot, { recursive: true, force: true });
  }
}

function ms(started: number): number {
  return Math.round(performance.now() - started);
}

await main();
