import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decompress } from 'fzstd';
import { parquetReadObjects } from 'hyparquet';
import { createLogger, rawPartitionDir, registerErasure } from '../../../core/index.js';
import {
  type CompactionSummary,
  type RunCompactionOptions,
  runCompaction,
} from '../../../jobs/compaction/index.js';
import { DuckDbEngine, sqlString } from '../../../jobs/engine/index.js';
import { type BufferedEvent, Lander, type LandingBuffer } from '../../../pipelines/index.js';
import { sampleRow } from '../../../bench/ingest/sample-rows.js';
import {
  closeLandingDir,
  type LandingDir,
  openLandingDir,
} from '../../pipelines/landing-fixtures.js';
import { afterEach, beforeEach } from 'vitest';

export { capturingLogger } from '../../pipelines/ingest-fixtures.js';

/**
 * A fresh data directory with its landing buffer for each test of the
 * enclosing `describe`, removed after it: call the returned function in a test.
 */
export function landingDirEachTest(prefix: string): () => LandingDir {
  let dir: LandingDir | undefined;
  beforeEach(() => {
    dir = openLandingDir(prefix);
  });
  afterEach(() => {
    if (dir) closeLandingDir(dir);
  });

  return () => dir as LandingDir;
}

/** Days the fixtures land, far enough back to be closed for `asOf`. */
export const days = ['2026-11-20', '2026-11-21', '2026-11-22'] as const;
export const tenants = ['t-compact-a', 't-compact-b'] as const;
/** `days` are closed, `openDay` is not (with the default 2 days of age). */
export const asOf = '2026-11-25';
export const openDay = '2026-11-24';

/** A buffered behaviour row of a tenant and a UTC day; `index` varies the student and time. */
export function behaviourRow(tenant: string, day: string, index: number): BufferedEvent {
  const at = `${day}T${String(13 + (index % 8)).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:00.000Z`;

  return { ...sampleRow(index), tenant_id: tenant, event_date: day, occurred_at: at };
}

/** Runs the compaction on the test's lake, as of `asOf` unless the options say otherwise. */
export function compactLake(
  dir: LandingDir,
  options: Partial<RunCompactionOptions> = {},
): Promise<CompactionSummary> {
  return runCompaction({ lakeRoot: dir.paths.lake, asOf, ...options });
}

/** Registers a student's erasure in the tenant's register, as `luca erase` does first. */
export function registerStudentErasure(lake: string, tenant: string, studentId: string): void {
  registerErasure(lake, tenant, {
    student_id: studentId,
    erased_at: '2026-11-26T10:00:00.000Z',
    audit_event_id: '01890000-0000-7000-8000-000000000001',
  });
}

/** The captured log lines whose message is `msg`, as objects. */
export function loggedAs(lines: readonly string[], msg: string): Record<string, unknown>[] {
  return lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === msg);
}

/** Where `spreadRows` puts rows. */
export interface RowCells {
  readonly tenants: readonly string[];
  readonly days: readonly string[];
}

/** `count` rows spread round-robin over every tenant and day given. */
export function spreadRows(count: number, over: RowCells = { tenants, days }): BufferedEvent[] {
  const cells = over.tenants.flatMap((tenant) => over.days.map((day) => ({ tenant, day })));

  return Array.from({ length: count }, (_, index) => {
    const cell = cells[index % cells.length] as { tenant: string; day: string };

    return behaviourRow(cell.tenant, cell.day, index);
  });
}

/** Appends rows and lands them in drains of `rowsPerDrain`: one file per partition per drain. */
export async function land(
  dir: LandingDir,
  rows: readonly BufferedEvent[],
  rowsPerDrain: number,
  buffer: LandingBuffer = dir.buffer,
): Promise<void> {
  await dir.buffer.append(rows);
  const lander = await Lander.open({
    buffer,
    lakeRoot: dir.paths.lake,
    logger: createLogger({ level: 'silent' }),
    maxRowsPerDrain: rowsPerDrain,
  });
  try {
    await lander.drainAll();
  } finally {
    lander.close();
  }
}

export function behaviourDir(lake: string, tenant: string, day: string): string {
  return rawPartitionDir(lake, 'behaviour', tenant, day);
}

/** The first tenant's first day, the partition the one-partition tests use. */
export const onePartition = {
  cells: { tenants: [tenants[0]], days: [days[0]] },
  name: `behaviour/tenant_id=${tenants[0]}/event_date=${days[0]}`,
} as const;

/** Lands `rows` rows into `onePartition` in drains of `rowsPerDrain`; returns its folder. */
export async function landOnePartition(dir: LandingDir, rows = 240, rowsPerDrain = 24) {
  await land(dir, spreadRows(rows, onePartition.cells), rowsPerDrain);

  return behaviourDir(dir.paths.lake, tenants[0], days[0]);
}

/** Every name in a partition folder, hidden ones included, sorted. */
export function folderNames(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** Name, size and modification time of every file under `dir`: equal when nothing changed. */
export function treeState(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      const stat = statSync(path);

      return `${path} ${stat.size} ${stat.mtimeMs}`;
    })
    .sort();
}

async function withEngine<T>(run: (engine: DuckDbEngine) => Promise<T>): Promise<T> {
  const engine = await DuckDbEngine.open({ threads: 1 });
  try {
    return await run(engine);
  } finally {
    await engine.close();
  }
}

/** A timestamp column as `toISOString()` writes it, as hyparquet's rows are compared. */
function isoText(column: string): string {
  return `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%gZ') as ${column}`;
}

/**
 * Every row of the partition's visible Parquet files as JSON text, sorted:
 * equal arrays mean equal multisets of full rows.
 */
export function partitionRows(dir: string): Promise<string[]> {
  return withEngine(async (engine) => {
    const rows = await engine.query(
      `select * replace (${isoText('occurred_at')}, ${isoText('received_at')})
       from read_parquet(${sqlString(join(dir, '*.parquet'))}, hive_partitioning = false)`,
    );

    return rows.map((row) => JSON.stringify(row)).sort();
  });
}

/** The event ids of rows in JSON text (from `partitionRows`), sorted. */
export function eventIds(rows: readonly string[]): string[] {
  return rows.map((row) => (JSON.parse(row) as { event_id: string }).event_id).sort();
}

/** A file's rows as hyparquet reads them (zstd pages through fzstd), times as ISO text. */
export async function hyparquetRows(file: string): Promise<Record<string, unknown>[]> {
  const bytes = readFileSync(file);
  const rows = await parquetReadObjects({
    file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    compressors: {
      ZSTD: (input: Uint8Array, outputLength: number) =>
        decompress(input, new Uint8Array(outputLength)),
    },
  });

  return rows.map((row) => ({
    ...row,
    occurred_at: new Date(row.occurred_at as Date).toISOString(),
    received_at: new Date(row.received_at as Date).toISOString(),
  }));
}
