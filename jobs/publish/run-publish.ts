import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type Logger, tenantId as tenantIdSchema } from '../../core/index.js';
import { DuckDbEngine } from '../engine/index.js';
import { lakeTenants, schoolToday } from '../features/index.js';
import { cohortsOf, type GroupOf } from './cohort.js';
import { asOfCutoffInstant, buildDocument, type PublishContext } from './document.js';
import { publishErrors } from './errors.js';
import { snapshotDocument } from './snapshot-schema.js';
import { defaultKeyPrefix, profileKeys } from './keys.js';
import {
  featuresWrittenAt,
  type GradesRow,
  latestFeaturesDate,
  type ProfileRow,
  readGrades,
  readProfiles,
} from './lake-inputs.js';
import {
  acquirePublishLock,
  defaultLifetimes,
  type DocumentEntry,
  expireVersion,
  type SnapshotLifetimes,
  switchCurrent,
  writeVersion,
} from './snapshot-store.js';

export interface RunPublishOptions {
  lakeRoot: string;
  redis: Redis;
  /** Only these tenants; default: every tenant with behaviour events in the lake. */
  tenants?: string[];
  /** Features day to publish; default: the newest one per tenant. */
  asOf?: string;
  /** Key prefix (default `luca:`). */
  keyPrefix?: string;
  /** Student to pseudonymised group, for cohort percentiles; none: cohorts are null. */
  groupOf?: GroupOf;
  /** Date that picks the current grading period; default: today in school time. */
  gradesDate?: string;
  batchSize?: number;
  lifetimes?: SnapshotLifetimes;
  logger?: Logger;
  /** Called after each batch is written (tests use it to interrupt a publish). */
  onBatch?: (written: number) => unknown;
  now?: () => Date;
}

export interface TenantPublishSummary {
  tenant_id: string;
  snapshot_version: string | null;
  previous_version: string | null;
  documents: number;
  with_profile: number;
  with_grades: number;
  as_of: string | null;
  period_id: string | null;
  build_ms: number;
  write_ms: number;
  duration_ms: number;
  docs_per_second: number;
}

/** A version id that sorts by publish time: `20261015T063000Z-a1b2c3`. */
export function newVersionId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

function* documents(
  context: PublishContext,
  profiles: ProfileRow[],
  grades: Map<string, GradesRow>,
  groupOf: GroupOf | undefined,
): Generator<DocumentEntry> {
  const cohorts = groupOf ? cohortsOf(profiles, groupOf) : new Map();
  const seen = new Set<string>();
  for (const profile of profiles) {
    seen.add(profile.student_id);
    const doc = buildDocument(
      context,
      profile.student_id,
      profile,
      grades.get(profile.student_id),
      cohorts.get(profile.student_id),
    );
    yield [profile.student_id, doc];
  }
  for (const [student, row] of grades) {
    if (!seen.has(student))
      yield [student, buildDocument(context, student, undefined, row, undefined)];
  }
}

/** Validates one document against the exported schema before anything is written. */
function checkSample(entry: DocumentEntry | undefined): void {
  if (!entry) return;
  const result = snapshotDocument.safeParse(JSON.parse(entry[1]));
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw publishErrors.create(
      'PUBLISH_ERR_INVALID_DOCUMENT',
      `A snapshot document breaks the schema: ${issues.slice(0, 5).join('; ')}`,
      { details: { issues } },
    );
  }
}

async function readInputs(engine: DuckDbEngine, options: RunPublishOptions, tenant: string) {
  const asOf = options.asOf ?? latestFeaturesDate(options.lakeRoot, tenant);
  const profiles = asOf ? await readProfiles(engine, options.lakeRoot, tenant, asOf) : [];
  const gradesDate = options.gradesDate ?? schoolToday(options.now?.());
  const grades = await readGrades(engine, options.lakeRoot, tenant, gradesDate);
  let profileAsOf: string | null = null;
  if (asOf && profiles.length > 0) {
    const written = featuresWrittenAt(options.lakeRoot, asOf, tenant).getTime();
    const cutoff = Date.parse(asOfCutoffInstant(asOf));
    profileAsOf = new Date(Math.min(written, cutoff)).toISOString();
  }

  return { asOf: profiles.length > 0 ? asOf : null, profiles, grades, profileAsOf };
}

/** Publishes one tenant: write the new version, switch `current`, expire the old one. */
async function publishTenant(
  engine: DuckDbEngine,
  options: RunPublishOptions,
  tenant: string,
): Promise<TenantPublishSummary> {
  const started = performance.now();
  const now = options.now?.() ?? new Date();
  const inputs = await readInputs(engine, options, tenant);
  const gradesByStudent = new Map((inputs.grades?.rows ?? []).map((row) => [row.student_id, row]));
  if (inputs.profiles.length === 0 && gradesByStudent.size === 0) {
    throw publishErrors.create(
      'PUBLISH_ERR_NO_FEATURES',
      `Tenant ${tenant} has neither features nor grades in the lake; run "luca jobs features" first.`,
    );
  }
  const context: PublishContext = {
    tenant_id: tenant,
    snapshot_version: newVersionId(now),
    published_at: now.toISOString(),
    as_of: inputs.asOf,
    profile_as_of: inputs.profileAsOf,
    period_id: inputs.grades?.period_id ?? null,
  };
  const built = [...documents(context, inputs.profiles, gradesByStudent, options.groupOf)];
  checkSample(built[0]);
  const buildMs = performance.now() - started;

  const keys = profileKeys(options.keyPrefix ?? defaultKeyPrefix, tenant);
  const lifetimes = options.lifetimes ?? defaultLifetimes;
  const release = await acquirePublishLock(options.redis, keys);
  const writeStarted = performance.now();
  let previous: string | null = null;
  try {
    await writeVersion(options.redis, keys, context.snapshot_version, built, {
      batchSize: options.batchSize ?? 2000,
      lifetimes,
      onBatch: options.onBatch,
    });
    previous = await switchCurrent(options.redis, keys, context.snapshot_version);
  } catch (cause) {
    await expireVersion(options.redis, keys, context.snapshot_version, 60).catch(() => 0);
    throw publishErrors.create(
      'PUBLISH_ERR_STORE_UNAVAILABLE',
      `Publishing tenant ${tenant} failed before the switch; readers stay on the previous version.`,
      { cause },
    );
  } finally {
    await release();
  }
  const writeMs = performance.now() - writeStarted;
  if (previous)
    await expireVersion(options.redis, keys, previous, lifetimes.previousVersionSeconds);
  const durationMs = performance.now() - started;

  return {
    tenant_id: tenant,
    snapshot_version: context.snapshot_version,
    previous_version: previous,
    documents: built.length,
    with_profile: inputs.profiles.length,
    with_grades: gradesByStudent.size,
    as_of: inputs.asOf,
    period_id: context.period_id,
    build_ms: Math.round(buildMs),
    write_ms: Math.round(writeMs),
    duration_ms: Math.round(durationMs),
    docs_per_second: Math.round(built.length / (durationMs / 1000)),
  };
}

/**
 * Publishes one snapshot document per student of each tenant to Redis, so a
 * session read is one GET. Atomic per tenant: the new version is written in
 * full, then `current` is switched in one command; the previous version
 * expires after a grace period.
 *
 * @example
 * const summary = await runPublish({ lakeRoot: paths.lake, redis, tenants: ['t-demo'] });
 */
export async function runPublish(options: RunPublishOptions): Promise<TenantPublishSummary[]> {
  const tenants = options.tenants ?? lakeTenants(options.lakeRoot);
  for (const tenant of tenants) {
    if (!tenantIdSchema.safeParse(tenant).success) {
      throw publishErrors.create(
        'PUBLISH_ERR_INVALID_TENANT',
        `"${tenant}" is not a tenant id (a-z, 0-9, -).`,
      );
    }
  }
  const engine = await DuckDbEngine.open();
  const summaries: TenantPublishSummary[] = [];
  try {
    for (const tenant of tenants) {
      const summary = await publishTenant(engine, options, tenant);
      options.logger?.info({ job: 'publish', ...summary }, 'tenant snapshot published');
      summaries.push(summary);
    }
  } finally {
    await engine.close();
  }

  return summaries;
}
