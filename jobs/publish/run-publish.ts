import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type Logger, tenantId as tenantIdSchema } from '../../core/index.js';
import { DuckDbEngine } from '../engine/index.js';
import { lakeTenants, schoolToday } from '../features/index.js';
import { cohortsOf, type GroupOf } from './cohort.js';
import {
  asOfCutoffInstant,
  type DocumentBuilder,
  documentBuilder,
  type PublishContext,
} from './document.js';
import { publishErrors } from './errors.js';
import { snapshotDocument } from './snapshot-schema.js';
import { defaultKeyPrefix, profileKeys } from './keys.js';
import {
  featuresWrittenAt,
  type GradesRow,
  latestFeaturesDate,
  readGrades,
  readProfiles,
} from './lake-inputs.js';
import type { ProfileTable } from './profile-table.js';
import {
  acquirePublishLock,
  defaultLifetimes,
  type DocumentEntry,
  expireVersion,
  type SnapshotLifetimes,
  switchCurrent,
  type WriteSummary,
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
  /** Reading the lake's features and grades, until the first document is ready. */
  read_ms: number;
  /** Building documents, overlapped with the writes (part of `write_ms`). */
  build_ms: number;
  /** From the first batch written to the switch of `current`. */
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
  build: DocumentBuilder,
  profiles: ProfileTable | null,
  grades: Map<string, GradesRow>,
  groupOf: GroupOf | undefined,
): Generator<DocumentEntry> {
  const students = profiles?.students ?? [];
  const cohorts = profiles && groupOf ? cohortsOf(profiles.cohortMembers(), groupOf) : new Map();
  for (let index = 0; index < students.length; index++) {
    const student = students[index] as string;
    const profile = { table: profiles as ProfileTable, index, cohort: cohorts.get(student) };
    yield [student, build(student, profile, grades.get(student))];
  }
  if (grades.size === 0) return;
  const seen = new Set(students);
  for (const [student, row] of grades) {
    if (!seen.has(student)) yield [student, build(student, undefined, row)];
  }
}

/** The entries of `iterator`, with `first` (already taken from it) in front. */
function* startingWith<T>(first: T, iterator: Iterator<T>): Generator<T> {
  yield first;
  for (let next = iterator.next(); !next.done; next = iterator.next()) yield next.value;
}

/** Validates one document against the exported schema before anything is written. */
function checkSample(entry: DocumentEntry | undefined): void {
  if (!entry) return;
  const result = snapshotDocument.safeParse(JSON.parse(entry[1].toString('utf8')));
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
  const profiles = asOf ? await readProfiles(engine, options.lakeRoot, tenant, asOf) : null;
  const students = profiles?.students.length ?? 0;
  const gradesDate = options.gradesDate ?? schoolToday(options.now?.());
  const grades = await readGrades(engine, options.lakeRoot, tenant, gradesDate);
  let profileAsOf: string | null = null;
  if (asOf && students > 0) {
    const written = featuresWrittenAt(options.lakeRoot, asOf, tenant).getTime();
    const cutoff = Date.parse(asOfCutoffInstant(asOf));
    profileAsOf = new Date(Math.min(written, cutoff)).toISOString();
  }

  return { asOf: students > 0 ? asOf : null, profiles, students, grades, profileAsOf };
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
  if (inputs.students === 0 && gradesByStudent.size === 0) {
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
  const build = documentBuilder(context);
  const entries = documents(build, inputs.profiles, gradesByStudent, options.groupOf);
  const first = entries.next();
  if (first.done) throw new Error('A tenant with profiles or grades produced no document.');
  checkSample(first.value);
  const readMs = performance.now() - started;

  const keys = profileKeys(options.keyPrefix ?? defaultKeyPrefix, tenant);
  const lifetimes = options.lifetimes ?? defaultLifetimes;
  const release = await acquirePublishLock(options.redis, keys);
  const writeStarted = performance.now();
  let previous: string | null = null;
  let written: WriteSummary;
  try {
    written = await writeVersion(
      options.redis,
      keys,
      context.snapshot_version,
      startingWith(first.value, entries),
      { batchSize: options.batchSize ?? 2000, lifetimes, onBatch: options.onBatch },
    );
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
    documents: written.written,
    with_profile: inputs.students,
    with_grades: gradesByStudent.size,
    as_of: inputs.asOf,
    period_id: context.period_id,
    read_ms: Math.round(readMs),
    build_ms: Math.round(written.build_ms),
    write_ms: Math.round(writeMs),
    duration_ms: Math.round(durationMs),
    docs_per_second: Math.round(written.written / (durationMs / 1000)),
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
