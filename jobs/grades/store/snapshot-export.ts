import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import {
  curatedDir,
  erasedStudents,
  type Logger,
  type Pseudonymizer,
} from '../../../core/index.js';
import { DuckDbEngine, sqlString } from '../../engine/index.js';
import type { EvaluationItem, GradesStore } from './types.js';

/** The curated dataset the grades job may read: `curated/evaluations_current/tenant_id=<t>/`. */
export const evaluationsSnapshotDataset = 'evaluations_current';

/** One row of the snapshot: the current state of one evaluation (student id pseudonymised). */
export interface EvaluationSnapshotRow {
  student_id: string;
  subject_code: string;
  period_id: string;
  evaluation_id: string;
  category: string;
  /** As first recorded. */
  score: number;
  /** The current maximum: the one `coalesce(corrected_score, score)` is out of. */
  max_score: number;
  is_missing: boolean;
  is_extra_credit: boolean;
  is_voided: boolean;
  /** The latest correction's values; null when never corrected. */
  corrected_score: number | null;
  corrected_max_score: number | null;
  correction_count: number;
  version: number;
  updated_at: string;
}

export interface SnapshotSummary {
  tenants: number;
  rows: number;
  /** Evaluations left out because their student is in the erasure register. */
  erased_skipped: number;
  directory: string;
  duration_ms: number;
}

/** The snapshot row of an evaluation; `pseudonym` replaces the raw student id. */
export function snapshotRow(item: EvaluationItem, pseudonym: string): EvaluationSnapshotRow {
  const recorded = item.history[0];
  const corrected = item.correction_seq > 0;

  return {
    student_id: pseudonym,
    subject_code: item.subject_code,
    period_id: item.period_id,
    evaluation_id: item.evaluation_id,
    category: item.category,
    score: recorded?.score ?? item.score,
    max_score: item.max_score,
    is_missing: item.is_missing,
    is_extra_credit: item.is_extra_credit,
    is_voided: item.status === 'voided',
    corrected_score: corrected ? item.score : null,
    corrected_max_score: corrected ? item.max_score : null,
    correction_count: item.correction_seq,
    version: item.version,
    updated_at: item.updated_at,
  };
}

const columns = `{
    student_id: 'varchar', subject_code: 'varchar', period_id: 'varchar',
    evaluation_id: 'varchar', category: 'varchar', score: 'double',
    max_score: 'double', is_missing: 'boolean', is_extra_credit: 'boolean',
    is_voided: 'boolean', corrected_score: 'double', corrected_max_score: 'double',
    correction_count: 'integer', version: 'integer', updated_at: 'timestamptz'
}`;

async function writeJsonLines(file: string, rows: AsyncIterable<EvaluationSnapshotRow>) {
  const out = createWriteStream(file);
  let count = 0;
  for await (const row of rows) {
    if (!out.write(`${JSON.stringify(row)}\n`))
      await new Promise<void>((r) => out.once('drain', () => r()));
    count += 1;
  }
  out.end();
  await finished(out);

  return count;
}

/** The tenant's rows, minus those of erased students (counted in `skipped.count`). */
async function* rowsOf(
  store: GradesStore,
  tenantId: string,
  options: { pseudonymizer: Pseudonymizer; erased: Set<string>; skipped: { count: number } },
) {
  for await (const item of store.listEvaluations(tenantId)) {
    const pseudonym = options.pseudonymizer.pseudonym(tenantId, item.student_id);
    if (options.erased.has(pseudonym)) {
      options.skipped.count += 1;
      continue;
    }
    yield snapshotRow(item, pseudonym);
  }
}

/** Replaces a tenant's partition: write beside it, then swap directories. */
async function swapPartition(dataset: string, tenantId: string, staged: string) {
  const target = join(dataset, `tenant_id=${tenantId}`);
  const old = join(dataset, `.old-${randomUUID()}`);
  await rename(target, old).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await rename(staged, target);
  await rm(old, { recursive: true, force: true });
}

/**
 * Writes the current state of every evaluation as Parquet under
 * `<lake>/curated/evaluations_current/tenant_id=<t>/data.parquet`, one
 * partition per tenant, replacing the previous snapshot. The raw grade events
 * stay the source of truth; this is the grades job's convenient input.
 * Students in the tenant's erasure register are left out (ADR 0070).
 *
 * @example
 * await exportEvaluationsSnapshot(store, paths.lake, { pseudonymizer: loadPseudonymizer(paths.secrets) });
 */
export async function exportEvaluationsSnapshot(
  store: GradesStore,
  lakeRoot: string,
  options: { pseudonymizer: Pseudonymizer; tenantIds?: string[]; logger?: Logger },
): Promise<SnapshotSummary> {
  const started = performance.now();
  const dataset = curatedDir(lakeRoot, evaluationsSnapshotDataset);
  await mkdir(dataset, { recursive: true });
  const scratch = await mkdtemp(join(tmpdir(), 'luca-snapshot-'));
  const engine = await DuckDbEngine.open({ threads: 2 });
  const tenants = options.tenantIds ?? (await store.listTenants());
  let total = 0;
  const skipped = { count: 0 };
  try {
    for (const tenantId of tenants) {
      const lines = join(scratch, `${tenantId}.jsonl`);
      const erased = erasedStudents(lakeRoot, tenantId);
      const source = rowsOf(store, tenantId, { ...options, erased, skipped });
      const rows = await writeJsonLines(lines, source);
      const staged = join(dataset, `.tmp-${randomUUID()}`);
      await mkdir(staged);
      await engine.run(`copy (
    select * from read_json(${sqlString(lines)}, format = 'newline_delimited', columns = ${columns})
    order by period_id, subject_code, student_id, evaluation_id
) to ${sqlString(join(staged, 'data.parquet'))} (format parquet, compression zstd)`);
      await swapPartition(dataset, tenantId, staged);
      options.logger?.info(
        { job: 'evaluations-snapshot', tenant_id: tenantId, rows_out: rows },
        'partition written',
      );
      total += rows;
    }
  } finally {
    await engine.close();
    await rm(scratch, { recursive: true, force: true });
  }

  return {
    tenants: tenants.length,
    rows: total,
    erased_skipped: skipped.count,
    directory: dataset,
    duration_ms: Math.round(performance.now() - started),
  };
}
