import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  type Guardian,
  loadPseudonymizer,
  mintToken,
  type Student,
  type Teacher,
  TokenKeys,
} from '../../../core/index.js';
import { verifyAuditLog } from '../../../serving/audit/index.js';
import { loadAclFromRoster } from '../../../serving/rbac/index.js';
import { startReadApi } from '../../../serving/session/index.js';
import { count, type DemoContext, type DemoStage } from '../context.js';
import type { SeedEvaluationLine } from './grades-store.js';

/** The seed's roster file, split by kind (only ids and relationships are used). */
function rosterEntities(context: DemoContext) {
  const lines = readFileSync(join(context.paths.root, 'seed', 'roster.jsonl'), 'utf8').split('\n');
  const students: Student[] = [];
  const teachers: Teacher[] = [];
  const guardians: Guardian[] = [];
  for (const line of lines.filter(Boolean)) {
    const { kind, ...entity } = JSON.parse(line) as { kind: string };
    if (kind === 'student') students.push(entity as Student);
    if (kind === 'teacher') teachers.push(entity as Teacher);
    if (kind === 'guardian') guardians.push(entity as Guardian);
  }

  return { students, teachers, guardians };
}

function percentile(sorted: number[], share: number): string {
  const value = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;

  return value.toFixed(2);
}

/** Sequential reads through the real HTTP stack: status and client-side latency. */
async function timedReads(url: string, token: string, studentIds: string[]) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  for (const studentId of studentIds) {
    const started = performance.now();
    const response = await fetch(`${url}/v1/students/${studentId}/session`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  }
  latencies.sort((a, b) => a - b);

  return { latencies, statuses };
}

/** The session read API: RBAC from the roster, one read explained, latency, audit chain. */
export const servingStage: DemoStage = {
  title: 'Session read API: RBAC, one read, latency, audit',
  async run(context: DemoContext) {
    const { paths, logger } = context;
    const target = context.shared.correctedEvaluation as SeedEvaluationLine;
    const entities = rosterEntities(context);
    const redis = new Redis(context.redis.url);
    const acl = await loadAclFromRoster(
      redis,
      context.redisPrefix,
      entities,
      loadPseudonymizer(paths.secrets),
    );
    redis.disconnect();
    context.say(
      `   ACL from the roster: ${acl.students} students, ${acl.teachers} teachers, ` +
        `${acl.guardians} guardians in ${Math.round(acl.durationMs)} ms (ids only)`,
    );
    const api = await startReadApi({
      paths,
      redisUrl: context.redis.url,
      keyPrefix: context.redisPrefix,
      port: 0,
      logger,
    });
    try {
      const keys = await TokenKeys.load(paths.secrets);
      const teacher = await mintToken(keys, {
        tenantId: target.tenant_id,
        role: 'teacher',
        subject: target.teacher_id,
      });
      const response = await fetch(`${api.url}/v1/students/${target.student_id}/session`, {
        headers: { authorization: `Bearer ${teacher}` },
      });
      const body = (await response.json()) as Record<string, unknown>;
      context.say(
        `   teacher reads own student: ${response.status}, parts: ${Object.keys(body).join(', ')}`,
      );
      const other = entities.students.find((student) => student.tenant_id !== target.tenant_id);
      const foreign = await fetch(`${api.url}/v1/students/${other?.student_id}/session`, {
        headers: { authorization: `Bearer ${teacher}` },
      });
      context.say(
        `   same teacher, a student of another school: ${foreign.status} (existence not revealed)`,
      );
      const admin = await mintToken(keys, {
        tenantId: target.tenant_id,
        role: 'school_admin',
        subject: 'admin-demo',
      });
      const own = entities.students.filter((student) => student.tenant_id === target.tenant_id);
      const ids = Array.from(
        { length: 500 },
        (_, index) => own[index % own.length]?.student_id ?? '',
      );
      const { latencies, statuses } = await timedReads(api.url, admin, ids);
      context.say(
        `   ${count(ids.length)} sequential reads by a school admin: ${JSON.stringify(Object.fromEntries(statuses))}, ` +
          `p50 ${percentile(latencies, 0.5)} ms, p95 ${percentile(latencies, 0.95)} ms, ` +
          `p99 ${percentile(latencies, 0.99)} ms (client side, HTTP included)`,
      );
    } finally {
      await api.close();
    }
    const audit = verifyAuditLog(join(paths.state, 'audit'));
    context.say(
      `   audit log: ${count(audit.records)} records, hash chain ${audit.ok ? 'intact' : 'BROKEN'}`,
    );
  },
};
