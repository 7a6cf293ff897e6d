import { rawEventColumns } from '../../core/index.js';
import { type DuckDbEngine, sqlString } from '../engine/index.js';

/**
 * The DuckDB statements of a compaction. Files are read with
 * `hive_partitioning = false` so the folder's `tenant_id` and `event_date`
 * stay out of the rows, exactly as in the files the lander writes.
 */

const leadingKey = ['student_id', 'occurred_at', 'event_id'] as const;

/**
 * The output's row order: one student's events together in time order (what
 * the features and the erasure read), then every other column, so the same
 * rows always come out in the same order, duplicates included.
 */
export const compactedSortKey: readonly string[] = [
  ...leadingKey,
  ...rawEventColumns.filter((column) => !(leadingKey as readonly string[]).includes(column)),
];

function sqlStringList(paths: readonly string[]): string {
  return `[${paths.map(sqlString).join(', ')}]`;
}

function readFiles(paths: readonly string[]): string {
  return `read_parquet(${sqlStringList(paths)}, hive_partitioning = false, union_by_name = true)`;
}

/** Rows in the files, from their footers (no data page is read). */
export async function rowsOf(engine: DuckDbEngine, paths: readonly string[]): Promise<number> {
  const [row] = await engine.query<{ rows: string | number | null }>(
    `select sum(num_rows)::bigint as rows from parquet_file_metadata(${sqlStringList(paths)})`,
  );

  return Number(row?.rows ?? 0);
}

/** Every row of the inputs, sorted, into one zstd Parquet file. */
export async function writeCompacted(
  engine: DuckDbEngine,
  inputs: readonly string[],
  target: string,
): Promise<void> {
  await engine.run(
    `copy (
         select * from ${readFiles(inputs)}
         order by ${compactedSortKey.join(', ')}
     ) to ${sqlString(target)} (format parquet, compression zstd)`,
  );
}

/** Distinct rows of `file` that none of `others` holds (0: `file` adds nothing). */
export async function rowsMissingFrom(
  engine: DuckDbEngine,
  file: string,
  others: readonly string[],
): Promise<number> {
  const [row] = await engine.query<{ missing: number }>(
    `select count(*)::integer as missing from (
         select * from ${readFiles([file])}
         except
         select * from ${readFiles(others)}
     )`,
  );

  return row?.missing ?? 0;
}

/**
 * Rows of the file that name one of the pseudonyms as student, actor or in
 * the payload: the rows an erasure removes (jobs/privacy).
 */
export async function rowsNaming(
  engine: DuckDbEngine,
  file: string,
  pseudonyms: ReadonlySet<string>,
): Promise<number> {
  if (pseudonyms.size === 0) return 0;
  const [row] = await engine.query<{ rows: number }>(
    `select count(*)::integer as rows
     from ${readFiles([file])} as event
     where exists (
         select 1
         from unnest(${sqlStringList([...pseudonyms])}) as erased (pseudonym)
         where event.student_id = erased.pseudonym
             or event.actor_id = erased.pseudonym
             or contains(event.payload, erased.pseudonym)
     )`,
  );

  return row?.rows ?? 0;
}
