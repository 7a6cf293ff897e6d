import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { curatedDir, type DataPaths, type Logger, periodById } from '../../core/index.js';
import { DuckDbEngine, duckdbParquetRelation, hasParquet, sqlString } from '../engine/index.js';
import type { PolicyAssignment } from './consolidation/policy-relations.js';
import { writePeriodPartition } from './consolidation/partition-writer.js';
import { runGradeModels } from './consolidation/run-models.js';
import { gradesErrors } from './errors.js';
import { policyForPeriod } from './policy/policy-selection.js';
import { SqlitePolicyStore } from './policy/policy-store.js';

/** Curated datasets the grades job reads and writes. */
export const gradesDatasets = {
  input: 'evaluations_current',
  grades: 'consolidated_grades',
  averages: 'general_averages',
} as const;

export interface GradesJobOptions {
  readonly paths: DataPaths;
  readonly tenantId?: string;
  readonly periodId?: string;
  readonly logger?: Logger;
  /** Stamped on every row; defaults to now. */
  readonly computedAt?: Date;
}

/** What one run did. */
export interface GradesJobSummary {
  job: 'grades';
  rows_in: number;
  grades_out: number;
  averages_out: number;
  partitions: Array<{
    tenant_id: string;
    period_id: string;
    policy_id: string;
    policy_version: number;
    policy_hash: string;
  }>;
  skipped_periods: string[];
  bytes_read: number;
  bytes_written: number;
  duration_ms: number;
  outputs: string[];
}

function parquetBytes(dir: string): number {
  let total = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += parquetBytes(path);
    else if (entry.name.endsWith('.parquet')) total += statSync(path).size;
  }

  return total;
}

/** The evaluations snapshot as the models' `evaluations` relation (corrections applied). */
function evaluationsRelation(inputDir: string, options: GradesJobOptions): string {
  const filters = ['true'];
  if (options.tenantId) filters.push(`tenant_id = ${sqlString(options.tenantId)}`);
  if (options.periodId) filters.push(`period_id = ${sqlString(options.periodId)}`);

  return `(
    select
        tenant_id, student_id, subject_code, period_id, evaluation_id, category,
        cast(score as double) as score,
        cast(coalesce(corrected_max_score, max_score) as double) as max_score,
        cast(is_missing as boolean) as is_missing,
        cast(is_extra_credit as boolean) as is_extra_credit,
        cast(is_voided as boolean) as is_voided,
        cast(corrected_score as double) as corrected_score
    from ${duckdbParquetRelation(inputDir, 1)}
    where ${filters.join(' and ')}
)`;
}

async function policyAssignments(
  engine: DuckDbEngine,
  evaluations: string,
  paths: DataPaths,
  logger: Logger | undefined,
) {
  const pairs = await engine.query<{ tenant_id: string; period_id: string }>(
    `select distinct tenant_id, period_id from ${evaluations} order by all`,
  );
  const store = SqlitePolicyStore.inStateDir(paths.state);
  const assignments: PolicyAssignment[] = [];
  const skipped: string[] = [];
  try {
    for (const { tenant_id, period_id } of pairs) {
      const period = periodById(period_id);
      if (!period) {
        logger?.warn({ job: 'grades', tenant_id, period_id }, 'period not in calendar, skipped');
        skipped.push(`${tenant_id}:${period_id}`);
        continue;
      }
      const policy = policyForPeriod(store, tenant_id, period);
      assignments.push({ tenant_id, period_id, policy });
    }
  } finally {
    store.close();
  }

  return { assignments, skipped };
}

/**
 * `luca jobs grades`: consolidates the evaluations snapshot
 * (`curated/evaluations_current/`) with each tenant's policy in force for the
 * period, and replaces the `consolidated_grades` and `general_averages`
 * partitions `tenant_id=<t>/period_key=<2026-2027-P1>/` it computed.
 *
 * @example
 * const summary = await runGradesJob({ paths: ensureDataPaths(), tenantId: 't-09dpr0001a' });
 */
export async function runGradesJob(options: GradesJobOptions): Promise<GradesJobSummary> {
  const started = performance.now();
  const { paths, logger } = options;
  const inputDir = curatedDir(paths.lake, gradesDatasets.input);
  if (!hasParquet(inputDir)) {
    throw gradesErrors.create(
      'GRADES_ERR_NO_EVALUATIONS',
      `no evaluations snapshot under ${inputDir}: export it first (the grades store's snapshot export)`,
    );
  }
  const engine = await DuckDbEngine.open({ threads: 2 });
  try {
    const evaluations = evaluationsRelation(inputDir, options);
    const { assignments, skipped } = await policyAssignments(engine, evaluations, paths, logger);
    const computedAt = (options.computedAt ?? new Date()).toISOString();
    const tables = await runGradeModels(engine, { evaluations, assignments, computedAt });
    const summary = await writeOutputs(engine, tables, assignments, paths);
    const [counts] = await engine.query<{ rows_in: string }>(
      `select count(*) as rows_in from ${evaluations}`,
    );
    const result: GradesJobSummary = {
      job: 'grades',
      rows_in: Number(counts?.rows_in ?? 0),
      ...summary,
      partitions: assignments.map(({ tenant_id, period_id, policy }) => ({
        tenant_id,
        period_id,
        policy_id: policy.policy.policy_id,
        policy_version: policy.policy.version,
        policy_hash: policy.hash,
      })),
      skipped_periods: skipped,
      bytes_read: parquetBytes(
        options.tenantId ? join(inputDir, `tenant_id=${options.tenantId}`) : inputDir,
      ),
      duration_ms: Math.round(performance.now() - started),
    };
    logger?.info(
      { ...result, partitions: result.partitions.length, outputs: undefined },
      'grades job done',
    );

    return result;
  } finally {
    await engine.close();
  }
}

async function writeOutputs(
  engine: DuckDbEngine,
  tables: { consolidated_grades: string; general_averages: string },
  assignments: readonly PolicyAssignment[],
  paths: DataPaths,
) {
  const outputs: string[] = [];
  let bytesWritten = 0;
  for (const { tenant_id, period_id } of assignments) {
    for (const [table, dataset] of [
      [tables.consolidated_grades, gradesDatasets.grades],
      [tables.general_averages, gradesDatasets.averages],
    ] as const) {
      const dir = curatedDir(paths.lake, dataset);
      const written = await writePeriodPartition(engine, table, dir, tenant_id, period_id);
      outputs.push(written.file);
      bytesWritten += written.bytes;
    }
  }
  const count = async (table: string) =>
    Number((await engine.query<{ n: string }>(`select count(*) as n from ${table}`))[0]?.n ?? 0);

  return {
    grades_out: await count(tables.consolidated_grades),
    averages_out: await count(tables.general_averages),
    bytes_written: bytesWritten,
    outputs,
  };
}
