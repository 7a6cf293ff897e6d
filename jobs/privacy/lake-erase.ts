import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../../core/index.js';
import { DuckDbEngine, sqlString } from '../engine/index.js';
import { privacyErrors } from './errors.js';
import { curatedFilesOfTenant, rawFilesOfTenant } from './lake-files.js';

/** What erasure did to the lake. */
export interface LakeErasure {
  files_scanned: number;
  files_rewritten: number;
  files_deleted: number;
  rows_removed: number;
}

interface Match {
  file: string;
  rows: number;
  matched: number;
}

const readOptions = 'hive_partitioning = false';

function parquetList(files: readonly string[]): string {
  return `[${files.map(sqlString).join(', ')}]`;
}

/** A raw row names the student as subject, as actor, or inside its payload. */
function rawPredicate(p: string): string {
  return `student_id = ${p} or actor_id = ${p} or contains(payload, ${p})`;
}

/** Raw files share one schema: one scan over all of them finds the matches. */
async function rawMatches(engine: DuckDbEngine, files: string[], p: string): Promise<Match[]> {
  if (files.length === 0) return [];
  const predicate = rawPredicate(p);
  const rows = await engine.query<{ file: string; rows: number; matched: number }>(
    `select filename as file, count(*)::integer as rows,
         count(*) filter (where ${predicate})::integer as matched
     from read_parquet(${parquetList(files)}, ${readOptions}, filename = true)
     group by filename`,
  );

  return rows.filter((row) => row.matched > 0);
}

/** Any text column of the file equal to or containing the pseudonym. */
async function filePredicate(engine: DuckDbEngine, file: string, p: string) {
  const columns = await engine.query<{ column_name: string; column_type: string }>(
    `describe select * from read_parquet(${sqlString(file)}, ${readOptions})`,
  );
  const text = columns.filter((c) => c.column_type === 'VARCHAR').map((c) => c.column_name);
  if (text.length === 0) return null;

  return text
    .map((c) => `coalesce(contains("${c.replaceAll('"', '""')}", ${p}), false)`)
    .join(' or ');
}

/** Curated datasets differ in columns: each file is checked on its own text columns. */
async function curatedMatches(engine: DuckDbEngine, files: string[], p: string) {
  const matches: (Match & { predicate: string })[] = [];
  for (const file of files) {
    const predicate = await filePredicate(engine, file, p);
    if (!predicate) continue;
    const [row] = await engine.query<{ rows: number; matched: number }>(
      `select count(*)::integer as rows,
           count(*) filter (where ${predicate})::integer as matched
       from read_parquet(${sqlString(file)}, ${readOptions})`,
    );
    if (row && row.matched > 0) matches.push({ file, ...row, predicate });
  }

  return matches;
}

/**
 * Writes the file without the matching rows to a temp name in the same folder,
 * then renames it over the original, so a reader sees the old or the new file,
 * never half of one. A file left with no rows is deleted instead.
 */
async function rewrite(engine: DuckDbEngine, match: Match, predicate: string): Promise<void> {
  if (match.matched === match.rows) {
    rmSync(match.file);
    return;
  }
  const temp = join(
    dirname(match.file),
    `.${basename(match.file)}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await engine.run(
      `copy (
           select * from read_parquet(${sqlString(match.file)}, ${readOptions})
           where not (${predicate})
       ) to ${sqlString(temp)} (format parquet, compression snappy)`,
    );
    renameSync(temp, match.file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw privacyErrors.create(
      'PRIVACY_ERR_LAKE_REWRITE_FAILED',
      'A lake file could not be rewritten; it is unchanged. Fix the cause and run the erasure again.',
      { cause: err, details: { file: match.file } },
    );
  }
}

/**
 * Removes every row naming the pseudonym from the tenant's raw grade and
 * behaviour files and from curated files, with DuckDB. Files without the
 * pseudonym are not touched.
 */
export async function eraseFromLake(
  lakeRoot: string,
  tenantId: string,
  pseudonym: string,
  logger?: Logger,
): Promise<LakeErasure> {
  const p = sqlString(pseudonym);
  const raw = rawFilesOfTenant(lakeRoot, tenantId);
  const curated = curatedFilesOfTenant(lakeRoot, tenantId);
  const engine = await DuckDbEngine.open({ threads: 2 });
  const summary: LakeErasure = {
    files_scanned: raw.length + curated.length,
    files_rewritten: 0,
    files_deleted: 0,
    rows_removed: 0,
  };
  try {
    const targets = [
      ...(await rawMatches(engine, raw, p)).map((m) => ({ ...m, predicate: rawPredicate(p) })),
      ...(await curatedMatches(engine, curated, p)),
    ];
    for (const target of targets) {
      await rewrite(engine, target, target.predicate);
      summary.rows_removed += target.matched;
      if (target.matched === target.rows) summary.files_deleted += 1;
      else summary.files_rewritten += 1;
      logger?.debug({ tenant_id: tenantId, rows_removed: target.matched }, 'lake file rewritten');
    }
  } finally {
    await engine.close();
  }

  return summary;
}
