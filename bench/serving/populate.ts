import type { Redis } from 'ioredis';
import type { Pseudonymizer } from '../../core/index.js';
import { loadAclFromRoster, type RosterEntities } from '../../serving/rbac/index.js';
import { tenantKeys } from '../../serving/session/index.js';
import { type DocumentTemplate, documentFor } from './real-documents.js';

/** One bench student and who may read it. */
export interface BenchStudent {
  tenantId: string;
  studentId: string;
  pseudonym: string;
  groupId: string;
  guardianId: string;
}

const groupSize = 30;

/**
 * Publishes `count` students across `tenants` tenants straight into Redis
 * (pipelined, 5,000 commands a round trip), each a copy of one of the real
 * documents in `templates` under its own ids, and loads their ACL from a
 * generated roster. Returns the students, the timings and the documents' size.
 */
export async function populate(
  redis: Redis,
  prefix: string,
  pseudonymizer: Pseudonymizer,
  options: { count: number; tenants: number; templates: readonly DocumentTemplate[] },
) {
  const started = performance.now();
  const asOf = new Date().toISOString();
  let documentBytes = 0;
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
    const template = options.templates[i % options.templates.length] as DocumentTemplate;
    const head = { tenantId, studentId: pseudonym, version: 'v1', publishedAt: asOf };
    const doc = documentFor(template, head);
    documentBytes += doc.length;
    pipeline.set(keys.snapshot('v1', pseudonym), doc);
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

  const meanDocumentBytes = Math.round(documentBytes / Math.max(1, options.count));

  return { students, publishedMs, aclMs: acl.durationMs, meanDocumentBytes };
}
