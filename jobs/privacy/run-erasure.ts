import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import {
  type IncomingEnvelope,
  type Logger,
  newEventId,
  newTraceId,
  opaqueId,
  type Pseudonymizer,
  registerErasure,
  type Role,
  tenantId as tenantIdSchema,
} from '../../core/index.js';
import { SqliteLandingBuffer } from '../../pipelines/buffer/index.js';
import type { GradesStore } from '../grades/store/index.js';
import { defaultKeyPrefix } from '../publish/index.js';
import { privacyErrors } from './errors.js';
import { eraseFromLake, type LakeErasure } from './lake-erase.js';
import { eraseFromRedis, type RedisErasure } from './redis-erase.js';
import { eraseFromRoster, type RosterErasure } from './roster-erase.js';

/** Where the student's data lives and who asks for the erasure. */
export interface RunErasureOptions {
  tenantId: string;
  studentId: string;
  store: GradesStore;
  lakeRoot: string;
  pseudonymizer: Pseudonymizer;
  /** The landing buffer's directory (`<data-dir>/buffer`); skipped when it has no file. */
  bufferDir?: string;
  /** Without it, Redis is not touched (`redis: null` in the summary). */
  redis?: Redis;
  keyPrefix?: string;
  /** Receives the `audit.recorded` event of the erasure (e.g. the ingest path). */
  sink?: (event: IncomingEnvelope) => Promise<void> | void;
  requestedBy?: { id: string; role: Role };
  logger?: Logger;
}

/** What one erasure removed; a second run reports `is_nothing_left: true`. */
export interface ErasureSummary {
  tenant_id: string;
  roster: RosterErasure;
  lake: LakeErasure;
  buffer_rows_removed: number;
  redis: RedisErasure | null;
  /** True when this run added the student to the erasure register (false on a re-run). */
  registered: boolean;
  is_nothing_left: boolean;
  audit_event: IncomingEnvelope;
  duration_ms: number;
}

function validate(options: RunErasureOptions): void {
  const bad = [
    tenantIdSchema.safeParse(options.tenantId).success ? null : '--tenant',
    opaqueId.safeParse(options.studentId).success ? null : '--student',
  ].filter((name) => name !== null);
  if (bad.length > 0) {
    throw privacyErrors.create(
      'PRIVACY_ERR_INVALID_REQUEST',
      `Fix ${bad.join(' and ')}: a tenant is a lowercase slug, a student an opaque id.`,
    );
  }
}

function eraseFromBuffer(dir: string | undefined, tenantId: string, pseudonym: string): number {
  if (!dir || !existsSync(join(dir, 'landing.sqlite'))) return 0;
  const buffer = new SqliteLandingBuffer({ dir });
  try {
    return buffer.removeStudentRows(tenantId, pseudonym);
  } finally {
    buffer.close();
  }
}

async function redisStep(options: RunErasureOptions, pseudonym: string) {
  if (!options.redis) return null;
  try {
    const prefix = options.keyPrefix ?? defaultKeyPrefix;

    return await eraseFromRedis(options.redis, prefix, options.tenantId, pseudonym);
  } catch (err) {
    throw privacyErrors.create(
      'PRIVACY_ERR_REDIS_UNAVAILABLE',
      'Redis did not answer; start it (or fix --redis-url) and run the erasure again.',
      { cause: err },
    );
  }
}

function isNothingLeft(s: Omit<ErasureSummary, 'is_nothing_left' | 'audit_event'>): boolean {
  const redisLeft = s.redis ? s.redis.keys_deleted + s.redis.guardian_links_removed : 0;
  const rosterLeft = Number(s.roster.student_removed) + s.roster.guardians_unlinked;

  return (
    rosterLeft +
      s.roster.guardians_removed +
      s.lake.rows_removed +
      s.buffer_rows_removed +
      redisLeft ===
    0
  );
}

function auditEvent(
  options: RunErasureOptions,
  eventId: string,
  isNothing: boolean,
): IncomingEnvelope {
  return {
    event_id: eventId,
    tenant_id: options.tenantId,
    event_type: 'audit.recorded',
    schema_version: 1,
    occurred_at: new Date().toISOString(),
    actor: options.requestedBy ?? { id: 'privacy-job', role: 'service' },
    student_id: options.studentId,
    trace_id: newTraceId(),
    payload: {
      action: 'student.erased',
      resource_type: 'student',
      outcome: isNothing ? 'not_found' : 'allowed',
      fields: ['name', 'curp', 'guardian_links', 'lake_rows', 'buffer_rows', 'redis_keys'],
    },
  };
}

/**
 * Erases one student's personal data on request: waiting buffer rows, lake
 * rows (grade and behaviour raw files, curated files), Redis keys, and the
 * roster record with its guardian links. Safe to run again.
 *
 * @example
 * const summary = await runErasure({ tenantId, studentId, store, lakeRoot, pseudonymizer });
 */
export async function runErasure(options: RunErasureOptions): Promise<ErasureSummary> {
  validate(options);
  const started = performance.now();
  const pseudonym = options.pseudonymizer.pseudonym(options.tenantId, options.studentId);
  const eventId = newEventId();

  // The register first: once it holds the student, exports skip them even if a
  // later step fails and the erasure has to be run again.
  const registered = registerErasure(options.lakeRoot, options.tenantId, {
    student_id: pseudonym,
    erased_at: new Date().toISOString(),
    audit_event_id: eventId,
  });
  // Buffer before lake: a row landing meanwhile is then caught by the lake step.
  const bufferRows = eraseFromBuffer(options.bufferDir, options.tenantId, pseudonym);
  const lake = await eraseFromLake(options.lakeRoot, options.tenantId, pseudonym, options.logger);
  const redis = await redisStep(options, pseudonym);
  const roster = await eraseFromRoster(options.store, options.tenantId, options.studentId);
  const partial = {
    tenant_id: options.tenantId,
    roster,
    lake,
    buffer_rows_removed: bufferRows,
    redis,
    registered,
    duration_ms: Math.round(performance.now() - started),
  };
  const isNothing = isNothingLeft(partial);
  const event = auditEvent(options, eventId, isNothing);
  await options.sink?.(event);
  options.logger?.info(
    { tenant_id: options.tenantId, rows_out: lake.rows_removed, duration_ms: partial.duration_ms },
    'student erased',
  );

  return { ...partial, is_nothing_left: isNothing, audit_event: event };
}
