import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Redis as IORedis, type Redis } from 'ioredis';
import {
  createLogger,
  createTokenVerifier,
  dataPaths,
  ensureDataPaths,
  mintToken,
  Pseudonymizer,
  type Role,
  TokenKeys,
} from '../../core/index.js';
import { buildApp } from '../../serving/app.js';
import { laidOutDoc } from '../support/snapshot-docs.js';
import { AuditLog, type AuditRecord, auditRecords } from '../../serving/audit/index.js';
import { ServingMetrics } from '../../serving/observability/index.js';
import { loadAclFromRoster, type RosterEntities } from '../../serving/rbac/index.js';
import {
  createServingRedis,
  type ReadApiDeps,
  SessionStore,
  tenantKeys,
} from '../../serving/session/index.js';

export const tenantA = 't-alpha';
export const tenantB = 't-beta';
/** The caller of every RBAC cell: a student, a teacher and a guardian under one id. */
export const callerId = 'u-caller';
export const students = {
  self: callerId,
  own_child: 's-child',
  own_group: 's-grp',
  same_tenant_unrelated: 's-other',
  other_tenant: 's-foreign',
  missing: 's-missing',
} as const;

/** A published snapshot document's content (`publishedText` gives its stored form). */
export function snapshotDoc(tenantId: string, pseudonym: string, asOf: string) {
  return {
    schema_version: 1,
    tenant_id: tenantId,
    student_id: pseudonym,
    snapshot_version: 'v1',
    published_at: asOf,
    profile: {
      as_of: asOf,
      features: [{ name: 'engagement_7d', value: 0.61, window_days: 7, events: 42 }],
      mastery: [{ topic: 'fractions', level: 0.7 }],
      disengagement: { flagged: false, rule: 'no-activity-5d' },
      cohort: { size: 31 },
    },
    grades: {
      period_id: '2026-2027/P1',
      as_of: asOf,
      subjects: [{ subject_code: 'MAT', grade: '8.5', explanation: { rule_version: 'r1' } }],
      general_average: '8.5',
    },
    freshness: { profile_as_of: asOf, grades_as_of: asOf },
  };
}

/**
 * A document as the publish job stores it: its members in the job's order
 * and its layout filled in (ADR 0095), so the routes under test take the
 * byte path a real read takes.
 */
export function publishedText(doc: ReturnType<typeof snapshotDoc>): string {
  const { profile, grades, freshness, ...head } = doc;

  return laidOutDoc(
    {
      profile: JSON.stringify(profile),
      grades: JSON.stringify(grades),
      freshness: JSON.stringify(freshness),
    },
    { head },
  );
}

export function roster(): RosterEntities {
  const student = (tenant_id: string, student_id: string, group_id: string) => ({
    tenant_id,
    student_id,
    name: 'Nombre Redactado',
    curp: null,
    group_id,
    grade_level: 4,
  });

  return {
    students: [
      student(tenantA, callerId, 'g-2'),
      student(tenantA, 's-child', 'g-2'),
      student(tenantA, 's-grp', 'g-1'),
      student(tenantA, 's-other', 'g-2'),
      student(tenantB, 's-foreign', 'g-1'),
    ],
    teachers: [
      { tenant_id: tenantA, teacher_id: callerId, name: 'Docente', group_ids: ['g-1'] },
      { tenant_id: tenantB, teacher_id: callerId, name: 'Docente', group_ids: ['g-1'] },
    ],
    guardians: [
      { tenant_id: tenantA, guardian_id: callerId, name: 'Tutor', student_ids: ['s-child'] },
    ],
  };
}

export interface SessionFixture {
  app: FastifyInstance;
  deps: ReadApiDeps;
  /** The read path's client (short timeouts, no offline queue). */
  redis: Redis;
  /** A patient client for setting up and cleaning data. */
  admin: Redis;
  prefix: string;
  pseudonymizer: Pseudonymizer;
  keys: TokenKeys;
  auditPath: string;
  logLines: Record<string, unknown>[];
  token(
    role: Role,
    options?: { sub?: string; tenant?: string; ttlSeconds?: number },
  ): Promise<string>;
  /** Every record so far, after the pending group commits landed. */
  auditRecords(): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

/** Publishes the snapshot of a student in a tenant, with real-time signals. */
export async function publish(
  redis: Redis,
  prefix: string,
  pseudonymizer: Pseudonymizer,
  tenantId: string,
  studentId: string,
  asOf = new Date().toISOString(),
): Promise<void> {
  const keys = tenantKeys(prefix, tenantId);
  const pseudonym = pseudonymizer.pseudonym(tenantId, studentId);
  await redis
    .multi()
    .set(keys.currentVersion, 'v1')
    .set(keys.snapshot('v1', pseudonym), publishedText(snapshotDoc(tenantId, pseudonym, asOf)))
    .hset(keys.realtime(pseudonym), {
      last_activity_at: asOf,
      today_events: 12,
      today_minutes: 34,
      streak_days: 5,
      updated_at: asOf,
    })
    .exec();
}

/**
 * Builds the real app (A's factory) with the read API on Redis DB 3 under a
 * random prefix, a temp data dir, two tenants published and the ACL loaded.
 */
export async function sessionFixture(
  options: { redisUrl?: string; commandTimeoutMs?: number; tenantRequestsPerSecond?: number } = {},
): Promise<SessionFixture> {
  const root = mkdtempSync(join(tmpdir(), 'luca-serving-'));
  const paths = ensureDataPaths(root);
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  const redis = createServingRedis(options.redisUrl ?? 'redis://127.0.0.1:6379', {
    db: 3,
    commandTimeoutMs: options.commandTimeoutMs ?? 1000,
  });
  const pseudonymizer = new Pseudonymizer(randomBytes(32));
  const keys = await TokenKeys.load(paths.secrets);
  const metrics = new ServingMetrics();
  const auditPath = join(paths.state, 'audit');
  const audit = await AuditLog.open(auditPath, { timer: metrics.auditTimer });
  const store = new SessionStore(redis, { prefix, timer: metrics.redisTimer });
  const deps: ReadApiDeps = {
    redis,
    metrics,
    audit,
    store,
    pseudonymizer,
    ...(options.tenantRequestsPerSecond
      ? { tenantRequestsPerSecond: options.tenantRequestsPerSecond }
      : {}),
  };
  const logLines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      callback();
    },
  });
  const app = await buildApp({
    logger: createLogger({ destination, level: 'info' }),
    verifyToken: createTokenVerifier(keys),
    paths: dataPaths(root),
    readApi: deps,
  });
  const admin = new IORedis(options.redisUrl ?? 'redis://127.0.0.1:6379', { db: 3 });
  admin.on('error', () => undefined);
  await waitReady(redis);
  await publishFixture(admin, prefix, pseudonymizer);

  return {
    app,
    deps,
    redis,
    admin,
    prefix,
    pseudonymizer,
    keys,
    auditPath,
    logLines,
    token: (role, opts = {}) =>
      mintToken(keys, {
        tenantId: opts.tenant ?? tenantA,
        role,
        subject: opts.sub ?? callerId,
        ...(opts.ttlSeconds ? { ttlSeconds: opts.ttlSeconds } : {}),
      }),
    auditRecords: async () => {
      await audit.drain();

      return [...auditRecords(auditPath)].map((item) => {
        if (!('seq' in item)) throw new Error(`unreadable audit line ${item.line} of ${item.file}`);

        return { ...item, fields: JSON.parse(item.fields) } as AuditRecord;
      });
    },
    close: async () => {
      await app.close();
      await audit.close().catch(() => undefined);
      redis.disconnect();
      if (admin.status === 'ready') {
        const found = await admin.keys(`${prefix}*`);
        if (found.length > 0) await admin.del(...found);
      }
      admin.disconnect();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Publishes the fixture's students in both tenants and loads their ACL. */
export async function publishFixture(redis: Redis, prefix: string, pseudonymizer: Pseudonymizer) {
  for (const id of [callerId, 's-child', 's-grp', 's-other']) {
    await publish(redis, prefix, pseudonymizer, tenantA, id);
  }
  await publish(redis, prefix, pseudonymizer, tenantB, 's-foreign');
  await loadAclFromRoster(redis, prefix, roster(), pseudonymizer);
}

export async function waitReady(redis: Redis): Promise<void> {
  for (let attempt = 0; attempt < 100 && redis.status !== 'ready'; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
