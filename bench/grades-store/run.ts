/**
 * Grades store figures: bulk import rate and single-write latency on the
 * embedded SQLite store and on DynamoDB (dynalite, in process), each with a
 * ratio to a bare baseline measured in the same run (plain inserts / plain
 * PutItem of the same rows, without lifecycle, conditions or outbox).
 *
 *   npx tsx bench/grades-store/run.ts [--scale 1] [--quick]
 *
 * `--scale 1` imports 50,000 evaluations into SQLite and 2,000 into dynalite;
 * `--quick` is a tenth of that.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import Database from 'better-sqlite3';
import {
  DynamoGradesStore,
  type EvaluationImportLine,
  ensureGradesTable,
  type GradesStore,
  type RosterRecord,
  SqliteGradesStore,
} from '../../jobs/grades/store/index.js';
import { parseBenchArgs } from '../bench-args.js';

const args = parseBenchArgs({
  usage: `Usage:
  npx tsx bench/grades-store/run.ts [--scale 1] [--quick]

--scale 1 imports 50,000 evaluations into SQLite and 2,000 into dynalite;
--quick is a tenth of that.`,
  options: {
    scale: { type: 'string', default: '1' },
    quick: { type: 'boolean', default: false },
  },
});
const scale = args.number('scale') * (args.values.quick ? 0.1 : 1);
const tenant = 't-bench';
const studentsCount = 500;

function roster(): RosterRecord[] {
  return Array.from({ length: studentsCount }, (_, i) => {
    const id = `stu-${i}`;
    const data = {
      tenant_id: tenant,
      student_id: id,
      name: 'x',
      curp: null,
      group_id: `g-${i % 20}`,
      grade_level: 7,
    };
    return { tenant_id: tenant, kind: 'student' as const, id, group_id: data.group_id, data };
  });
}

function lines(count: number, prefix: string): { line: number; value: EvaluationImportLine }[] {
  return Array.from({ length: count }, (_, i) => ({
    line: i + 1,
    value: {
      tenant_id: tenant,
      evaluation_id: `${prefix}-${i}`,
      student_id: `stu-${i % studentsCount}`,
      teacher_id: 'tch-1',
      subject_code: ['MAT', 'ESP', 'CIE'][i % 3] as string,
      period_id: '2026-2027/P1',
      category: 'homework',
      score: (i % 100) / 10,
      max_score: 10,
      is_missing: false,
      is_extra_credit: false,
      recorded_at: '2026-10-01T15:00:00.000Z',
    },
  }));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

async function writeLatency(store: GradesStore, count: number) {
  const times: number[] = [];
  const actor = { actor: { id: 'tch-1', role: 'teacher' as const } };
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    const {
      teacher_id: _t,
      recorded_at: _r,
      ...input
    } = (lines(1, `lat-${i}`)[0] as { value: EvaluationImportLine }).value;
    await store.recordEvaluation(input, actor);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);

  return {
    p50_ms: round(percentile(times, 0.5)),
    p95_ms: round(percentile(times, 0.95)),
    p99_ms: round(percentile(times, 0.99)),
  };
}

const round = (value: number) => Math.round(value * 100) / 100;

async function benchSqlite(dir: string, count: number) {
  const store = SqliteGradesStore.open({ file: join(dir, 'grades.db') });
  await store.putRoster(roster());
  const imported = await store.importEvaluations(lines(count, 'ev'));
  const latency = await writeLatency(store, Math.min(500, count));
  await store.close();

  const raw = new Database(join(dir, 'baseline.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec(
    'create table evaluations (tenant_id text, evaluation_id text, item text, primary key (tenant_id, evaluation_id))',
  );
  const insert = raw.prepare('insert into evaluations values (?, ?, ?)');
  const rows = lines(count, 'ev');
  const started = performance.now();
  for (let i = 0; i < rows.length; i += 1000) {
    raw.transaction(() => {
      for (const row of rows.slice(i, i + 1000))
        insert.run(tenant, row.value.evaluation_id, JSON.stringify(row.value));
    })();
  }
  const baselineMs = performance.now() - started;
  raw.close();

  return report('sqlite', count, imported.duration_ms, baselineMs, latency);
}

function report(
  engine: string,
  count: number,
  importMs: number,
  baselineMs: number,
  latency: object,
) {
  const rate = Math.round(count / (importMs / 1000));
  const baselineRate = Math.round(count / (baselineMs / 1000));

  return {
    engine,
    evaluations: count,
    import_per_s: rate,
    baseline_per_s: baselineRate,
    ratio_to_baseline: round(rate / baselineRate),
    single_record: latency,
  };
}

async function benchDynalite(count: number) {
  const require = createRequire(import.meta.url);
  const server = (require('dynalite') as (o: object) => Server)({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  await ensureGradesTable(client, 'grades-bench');
  const store = new DynamoGradesStore({ client, tableName: 'grades-bench' });
  await store.putRoster(roster());
  const imported = await store.importEvaluations(lines(count, 'ev'));
  const latency = await writeLatency(store, Math.min(200, count));

  const doc = DynamoDBDocumentClient.from(client);
  const rows = lines(count, 'raw');
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < rows.length; i = next++) {
      const value = rows[i]?.value as EvaluationImportLine;
      await doc.send(
        new PutCommand({
          TableName: 'grades-bench',
          Item: { PK: `raw#${value.evaluation_id}`, SK: 'x', ...value },
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const baselineMs = performance.now() - started;
  client.destroy();
  await new Promise((resolve) => server.close(resolve));

  return report('dynalite', count, imported.duration_ms, baselineMs, latency);
}

const dir = mkdtempSync(join(tmpdir(), 'luca-bench-grades-store-'));
try {
  const results = [
    await benchSqlite(dir, Math.round(50_000 * scale)),
    await benchDynalite(Math.round(2_000 * scale)),
  ];
  for (const result of results) process.stdout.write(`${JSON.stringify(result)}\n`);
  process.stdout.write(
    'note: shared 2-core machine, other work running; re-run on a quiet machine for stable figures\n',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
