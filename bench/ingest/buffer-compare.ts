/**
 * Which local store should be the durable landing buffer? Writes the same rows
 * in groups (one durable commit per group) to three candidates and prints rows/s:
 * SQLite WAL + synchronous=FULL (with the dedup index), DuckDB appender commits,
 * and an append-only JSON-lines file with fsync per group.
 *
 *   npx tsx bench/ingest/buffer-compare.ts [--rows 100000] [--group 500]
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { type BufferedEvent, SqliteLandingBuffer } from '../../pipelines/index.js';
import { parseBenchArgs } from '../bench-args.js';
import { sampleRow } from './sample-rows.js';

interface Result {
  store: string;
  rows: number;
  seconds: number;
}

function groupsOf(rows: readonly BufferedEvent[], size: number): BufferedEvent[][] {
  const groups: BufferedEvent[][] = [];
  for (let i = 0; i < rows.length; i += size) groups.push(rows.slice(i, i + size));

  return groups;
}

async function timeSqlite(dir: string, groups: BufferedEvent[][]): Promise<Result> {
  const buffer = new SqliteLandingBuffer({ dir: join(dir, 'sqlite') });
  const started = performance.now();
  for (const group of groups) await buffer.append(group);
  const seconds = (performance.now() - started) / 1000;
  buffer.close();

  return { store: 'sqlite wal full + dedup', rows: groups.flat().length, seconds };
}

async function timeDuckdb(dir: string, groups: BufferedEvent[][]): Promise<Result> {
  const instance = await DuckDBInstance.create(join(dir, 'buffer.duckdb'));
  const connection = await instance.connect();
  await connection.run(
    `create table pending (event_id varchar, tenant_id varchar, family varchar,
     event_date varchar, payload varchar, occurred_at varchar, student_id varchar)`,
  );
  const started = performance.now();
  for (const group of groups) {
    const appender = await connection.createAppender('pending');
    for (const row of group) {
      for (const value of [row.event_id, row.tenant_id, row.family, row.event_date]) {
        appender.appendVarchar(value);
      }
      appender.appendVarchar(row.payload);
      appender.appendVarchar(row.occurred_at);
      appender.appendVarchar(row.student_id ?? '');
      appender.endRow();
    }
    appender.closeSync();
  }
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();

  return { store: 'duckdb appender (no dedup)', rows: groups.flat().length, seconds };
}

function timeFile(dir: string, groups: BufferedEvent[][]): Result {
  const fd = openSync(join(dir, 'buffer.jsonl'), 'a');
  const started = performance.now();
  for (const group of groups) {
    writeSync(fd, `${group.map((row) => JSON.stringify(row)).join('\n')}\n`);
    fsyncSync(fd);
  }
  const seconds = (performance.now() - started) / 1000;
  closeSync(fd);

  return { store: 'append-only file + fsync (no dedup)', rows: groups.flat().length, seconds };
}

const args = parseBenchArgs({
  usage: `Usage:
  npx tsx bench/ingest/buffer-compare.ts [--rows 100000] [--group 500]

--rows rows written to each store; --group rows per durable commit.`,
  options: {
    rows: { type: 'string', default: '100000' },
    group: { type: 'string', default: '500' },
  },
});
const rowCount = args.number('rows', { isWhole: true });
const groupSize = args.number('group', { isWhole: true });
const dir = mkdtempSync(join(tmpdir(), 'luca-buffer-compare-'));
try {
  const rows = Array.from({ length: rowCount }, (_, index) => sampleRow(index));
  const groups = groupsOf(rows, groupSize);
  const results = [
    await timeSqlite(dir, groups),
    await timeDuckdb(dir, groups),
    timeFile(dir, groups),
  ];
  const baseline = results[0] as Result;
  process.stdout.write(`rows=${rowCount} group=${groupSize} (one durable commit per group)\n`);
  for (const result of results) {
    const rate = result.rows / result.seconds;
    const ratio = rate / (baseline.rows / baseline.seconds);
    process.stdout.write(
      `${result.store.padEnd(38)} ${Math.round(rate).toString().padStart(9)} rows/s` +
        `  ${((result.seconds * 1000) / Math.ceil(result.rows / groupSize)).toFixed(2)} ms/commit` +
        `  x${ratio.toFixed(2)} vs sqlite\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
