import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { curatedDir, isoDate, type Logger, sqlPath, tenantId } from '../../core/index.js';
import { DuckDbEngine, engineMacros, loadModel, renderSql, sqlString } from '../engine/index.js';
import { readFileSync } from 'node:fs';
import { schoolTime } from './catalogue.js';
import { featuresErrors } from './errors.js';
import { featureMacros, featureModels, featureVars, stagingModel } from './models.js';
import { duckdbFeatureSource, type FeatureSource, lakeTenants } from './source.js';

/** The curated dataset the job writes. */
export const studentFeaturesDataset = 'student_features';

export interface RunFeaturesOptions {
  lakeRoot: string;
  /** Last local school day whose events count (`YYYY-MM-DD`); default: today in school time. */
  asOf?: string;
  /** Only these tenants; default: every tenant with behaviour events in the lake. */
  tenants?: string[];
  logger?: Logger;
  /** DuckDB worker threads (default: all cores). */
  threads?: number;
  /** Staging model file; defaults to `sql/staging/stg_events__behaviour.sql`. */
  stagingModelPath?: string;
}

/** What one tenant's run read and wrote. */
export interface TenantFeaturesSummary {
  tenant_id: string;
  /** Raw rows in the pruned partitions (before dedup and the as_of cut). */
  rows_in: number;
  /** Distinct events inside the lookback that the features used. */
  events_used: number;
  students: number;
  rows_out: number;
  files_read: number;
  bytes_read: number;
  output: string | null;
  duration_ms: number;
}

export interface FeaturesSummary {
  as_of: string;
  tenants: TenantFeaturesSummary[];
  rows_in: number;
  rows_out: number;
  bytes_read: number;
  duration_ms: number;
}

/** Today's date in school-local time (UTC-6). */
export function schoolToday(now = new Date()): string {
  const local = now.getTime() + schoolTime.utc_offset_hours * 3_600_000;

  return new Date(local).toISOString().slice(0, 10);
}

/** The folder one tenant's features for one day go to. */
export function studentFeaturesDir(lakeRoot: string, snapshotDate: string, tenant: string) {
  return join(
    curatedDir(lakeRoot, studentFeaturesDataset),
    `snapshot_date=${snapshotDate}`,
    `tenant_id=${tenant}`,
  );
}

function validate(options: RunFeaturesOptions): { asOf: string; tenants: string[] } {
  const asOf = options.asOf ?? schoolToday();
  if (!isoDate.safeParse(asOf).success) {
    throw featuresErrors.create(
      'FEATURES_ERR_INVALID_AS_OF',
      `--as-of must be YYYY-MM-DD, got "${asOf}".`,
    );
  }
  const tenants = options.tenants ?? lakeTenants(options.lakeRoot);
  for (const tenant of tenants) {
    if (!tenantId.safeParse(tenant).success) {
      throw featuresErrors.create(
        'FEATURES_ERR_INVALID_TENANT',
        `"${tenant}" is not a tenant id (a-z, 0-9, -).`,
      );
    }
  }

  return { asOf, tenants };
}

function stagingTemplate(path: string): string {
  if (!existsSync(path)) {
    throw featuresErrors.create(
      'FEATURES_ERR_STAGING_MODEL_MISSING',
      `The staging model ${path} does not exist; the landing area provides it.`,
    );
  }

  return readFileSync(path, 'utf8');
}

/**
 * The models a tenant's run materialises once: each is read by several later
 * models. Every other model is inlined into the one query that writes the mart.
 */
const materialisedModels: ReadonlySet<string> = new Set([
  'int_behaviour_events__local',
  'int_student_days',
]);

/**
 * Renders the staging model and every feature model of one tenant as ONE
 * query: a chain of CTEs named after the models, ending in the mart. DuckDB
 * plans it as a whole, so no model's rows are stored in a table between
 * steps (storing the 2 million parsed events alone cost about 0.5 s at
 * 2 M events; docs/profile.md).
 */
function martQuery(source: FeatureSource, asOf: string, staging: string): string {
  const vars: Record<string, string | number> = {
    ...engineMacros.duckdb,
    ...featureMacros.duckdb,
    ...featureVars(asOf),
  };
  const stagingSql = renderSql(staging, { ...vars, raw_behaviour: source.relation });
  const ctes = [`${stagingModel.name} as (\n${stagingSql}\n)`];
  vars[stagingModel.name] = stagingModel.name;

  for (const model of featureModels) {
    let sql: string;
    try {
      sql = loadModel(model.file, vars);
    } catch (cause) {
      throw featuresErrors.create(
        'FEATURES_ERR_MODEL_FAILED',
        `Model ${model.file} failed: ${String(cause)}`,
        { cause },
      );
    }
    const hint = materialisedModels.has(model.name) ? 'materialized ' : '';
    ctes.push(`${model.name} as ${hint}(\n${sql}\n)`);
    vars[model.name] = model.name;
  }
  const mart = 'mart_student_features';

  return `with ${ctes.join(',\n')}\nselect * from ${mart}`;
}

/** Writes the mart to a staging folder, then swaps it in with renames. */
async function writeOutput(engine: DuckDbEngine, mart: string, target: string, lakeRoot: string) {
  const staging = join(
    curatedDir(lakeRoot, '_staging'),
    `${studentFeaturesDataset}-${randomUUID()}`,
  );
  mkdirSync(staging, { recursive: true });
  const file = join(staging, 'part-0.parquet');
  const ordered = `select * from (${mart}) order by student_id, feature_id, topic_id`;
  try {
    await engine.run(`copy (${ordered}) to ${sqlString(file)} (format parquet, compression zstd)`);
  } catch (cause) {
    rmSync(staging, { recursive: true, force: true });
    throw featuresErrors.create(
      'FEATURES_ERR_MODEL_FAILED',
      `The feature models failed: ${String(cause)}`,
      { cause },
    );
  }

  mkdirSync(join(target, '..'), { recursive: true });
  const previous = `${staging}-previous`;
  if (existsSync(target)) renameSync(target, previous);
  renameSync(staging, target);
  rmSync(previous, { recursive: true, force: true });
}

/**
 * Counts read back from the written file. Every event used counts once in
 * `active_days_30d`'s event count (the events of the 30-day lookback), so
 * their sum is the number of events the features used.
 */
async function outputCounts(engine: DuckDbEngine, target: string) {
  const written = `read_parquet(${sqlString(join(target, '*.parquet'))})`;
  const [row] = await engine.query<{ events_used: string; students: string; rows_out: string }>(
    `select
        coalesce(sum(event_count) filter (where feature_id = 'active_days_30d'), 0) as events_used,
        count(distinct student_id) as students,
        count(*) as rows_out
    from ${written}`,
  );

  return {
    events_used: Number(row?.events_used ?? 0),
    students: Number(row?.students ?? 0),
    rows_out: Number(row?.rows_out ?? 0),
  };
}

async function countOf(engine: DuckDbEngine, sql: string): Promise<number> {
  const rows = await engine.query<{ n: string }>(`select count(*) as n from ${sql}`);

  return Number(rows[0]?.n ?? 0);
}

async function runTenant(
  engine: DuckDbEngine,
  options: RunFeaturesOptions,
  tenant: string,
  asOf: string,
  staging: string,
): Promise<TenantFeaturesSummary> {
  const started = performance.now();
  const source = duckdbFeatureSource(options.lakeRoot, tenant, asOf);
  const empty = { tenant_id: tenant, rows_in: 0, events_used: 0, students: 0, rows_out: 0 };
  if (!source) {
    options.logger?.warn(
      { job: 'features', tenant_id: tenant, as_of: asOf },
      'no events in lookback',
    );

    return { ...empty, files_read: 0, bytes_read: 0, output: null, duration_ms: 0 };
  }

  const target = studentFeaturesDir(options.lakeRoot, asOf, tenant);
  await writeOutput(engine, martQuery(source, asOf, staging), target, options.lakeRoot);
  const summary: TenantFeaturesSummary = {
    tenant_id: tenant,
    rows_in: await countOf(engine, source.relation),
    ...(await outputCounts(engine, target)),
    files_read: source.files.length,
    bytes_read: source.bytes,
    output: target,
    duration_ms: Math.round(performance.now() - started),
  };
  options.logger?.info({ job: 'features', as_of: asOf, ...summary }, 'tenant features written');

  return summary;
}

/**
 * Computes the batch features of every (or the given) tenant for one `as_of`
 * day and writes `curated/student_features/snapshot_date=<as_of>/tenant_id=<t>/`.
 * Running it again for the same day replaces that folder with the same rows
 * (plus any late events that landed since).
 *
 * @example
 * const summary = await runFeatures({ lakeRoot: paths.lake, asOf: '2026-10-15' });
 */
export async function runFeatures(options: RunFeaturesOptions): Promise<FeaturesSummary> {
  const started = performance.now();
  const { asOf, tenants } = validate(options);
  const staging = stagingTemplate(options.stagingModelPath ?? sqlPath(stagingModel.file));
  const engine = await DuckDbEngine.open({ threads: options.threads });
  const results: TenantFeaturesSummary[] = [];
  try {
    for (const tenant of tenants) {
      results.push(await runTenant(engine, options, tenant, asOf, staging));
    }
  } finally {
    await engine.close();
  }
  const total = (key: 'rows_in' | 'rows_out' | 'bytes_read') =>
    results.reduce((sum, result) => sum + result[key], 0);

  return {
    as_of: asOf,
    tenants: results,
    rows_in: total('rows_in'),
    rows_out: total('rows_out'),
    bytes_read: total('bytes_read'),
    duration_ms: Math.round(performance.now() - started),
  };
}
