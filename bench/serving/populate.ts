import type { Redis } from 'ioredis';
import type { Pseudonymizer } from '../../core/index.js';
import { loadAclFromRoster, type RosterEntities } from '../../serving/rbac/index.js';
import { tenantKeys } from '../../serving/session/index.js';

/** One bench student and who may read it. */
export interface BenchStudent {
  tenantId: string;
  studentId: string;
  pseudonym: string;
  groupId: string;
  guardianId: string;
}

const groupSize = 30;

function snapshot(tenantId: string, pseudonym: string, index: number, asOf: string): string {
  return JSON.stringify({
    schema_version: 1,
    tenant_id: tenantId,
    student_id: pseudonym,
    snapshot_version: 'v1',
    published_at: asOf,
    profile: {
      as_of: asOf,
      features: [
        { name: 'engagement_7d', value: (index % 100) / 100, window_days: 7, events: index % 57 },
        { name: 'minutes_7d', value: index % 300, window_days: 7, events: index % 57 },
        { name: 'quiz_accuracy_28d', value: 0.72, window_days: 28, events: 40 },
      ],
      mastery: [
        { topic: 'fractions', level: 0.7, evidence_events: 12 },
        { topic: 'reading', level: 0.55, evidence_events: 9 },
      ],
      disengagement: { flagged: index % 17 === 0, rule: 'no-activity-5d', window_days: 5 },
      cohort: { size: groupSize, suppressed: false },
    },
    grades: {
      period_id: '2026-2027/P1',
      as_of: asOf,
      subjects: ['MAT', 'ESP', 'CIE', 'HIS'].map((code) => ({
        subject_code: code,
        grade: '8.4',
        explanation: { rule_version: 'r1', inputs: 6, dropped: 1, rounding: 'half_up_1' },
      })),
      general_average: '8.4',
    },
    freshness: { profile_as_of: asOf, grades_as_of: asOf },
  });
}

/**
 * Publishes `count` students across `tenants` tenants straight into Redis
 * (pipelined, 5,000 commands a round trip) and loads their ACL from a
 * generated roster. Returns the students and the timings.
 */
export async function populate(
  redis: Redis,
  prefix: string,
  pseudonymizer: Pseudonymizer,
  options: { count: number; tenants: number },
) {
  const started = performance.now();
  const asOf = new Date().toISOString();
  const students: BenchStudent[] = [];
  const roster = {
    students: [] as RosterEntities['students'][number][],
    teachers: [] as RosterEntities['teachers'][number][],
    guardians: [] as RosterEntities['guardians'][number][],
  };
  let pipeline = redis.pipeline();
  for (let i = 0; i < options.count; i++) {
    const tenantId = `t-bench-${i % options.tenants}`;
    const local = Math.floor(i / options.tenants);
    const studentId = `s-${local}`;
    const groupId = `g-${Math.floor(local / groupSize)}`;
    const pseudonym = pseudonymizer.pseudonym(tenantId, studentId);
    const keys = tenantKeys(prefix, tenantId);
    pipeline.set(keys.snapshot('v1', pseudonym), snapshot(tenantId, pseudonym, i, asOf));
    pipeline.hset(keys.realtime(pseudonym), {
      last_activity_at: asOf,
      today_events: i % 40,
      today_minutes: i % 90,
      streak_days: i % 12,
      updated_at: asOf,
    });
    students.push({ tenantId, studentId, pseudonym, groupId, guardianId: `gd-${local}` });
    const base = { tenant_id: tenantId, name: 'x', grade_level: 4 };
    roster.students.push({ ...base, student_id: studentId, curp: null, group_id: groupId });
    roster.guardians.push({
      tenant_id: tenantId,
      guardian_id: `gd-${local}`,
      name: 'x',
      student_ids: [studentId],
    });
    if (local % groupSize === 0) {
      roster.teachers.push({
        tenant_id: tenantId,
        teacher_id: `tc-${groupId}`,
        name: 'x',
        group_ids: [groupId],
      });
    }
    if (pipeline.length >= 5_000) {
      await pipeline.exec();
      pipeline = redis.pipeline();
    }
  }
  for (let t = 0; t < options.tenants; t++)
    pipeline.set(tenantKeys(prefix, `t-bench-${t}`).currentVersion, 'v1');
  await pipeline.exec();
  const publishedMs = performance.now() - started;
  const acl = await loadAclFromRoster(redis, prefix, roster, pseudonymizer);

  return { students, publishedMs, aclMs: acl.durationMs };
}

/** Deletes every key under the bench prefix. */
export async function cleanUp(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    if (keys.length > 0) removed += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');

  return removed;
}
