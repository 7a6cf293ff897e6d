import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Pseudonymizer } from '../../core/index.js';
import { requirePrincipal } from '../http/index.js';
import type { AuditEntry, AuditLog } from '../audit/index.js';
import { type ReadGrant, readGrantOf } from '../rbac/index.js';
import { auditEntry, auditRefusal, principalOf, writeAudit } from './audit-trail.js';
import { sessionErrors } from './errors.js';
import {
  defaultFreshnessPolicy,
  type FreshnessPolicy,
  mergeSession,
  returnedParts,
  type SessionBody,
} from './merge.js';
import type { SessionStore, StudentRead } from './read-script.js';
import { batchSessionSchema, getSessionSchema } from './schemas.js';

/** What the session routes need. */
export interface SessionApiOptions {
  readonly store: SessionStore;
  readonly audit: AuditLog;
  readonly pseudonymizer: Pseudonymizer;
  readonly freshness?: Partial<FreshnessPolicy>;
  /** Requests per second per tenant on this instance (default 1000). */
  readonly tenantRequestsPerSecond?: number;
  readonly now?: () => number;
}

interface Decision {
  readonly status: 200 | 404;
  readonly body?: SessionBody;
  readonly entry: AuditEntry;
}

type Action = AuditEntry['action'];

/** Turns one student's read into the response part and its audit entry. */
function decide(
  request: FastifyRequest,
  action: Action,
  grant: ReadGrant,
  studentId: string,
  read: StudentRead,
  merge: (id: string, read: StudentRead) => SessionBody,
): Decision {
  if (read.allowed && read.snapshot !== undefined) {
    const body = merge(studentId, read);
    const entry = auditEntry(request, action, grant.callerPseudonym, {
      student: read.studentPseudonym,
      outcome: 'allowed',
      status: 200,
      parts: returnedParts(body),
    });

    return { status: 200, body, entry };
  }
  // Not allowed or not there: the same 404 either way; the audit keeps the truth.
  const entry = auditEntry(request, action, grant.callerPseudonym, {
    student: read.studentPseudonym,
    outcome: read.exists && !read.allowed ? 'denied' : 'not_found',
    status: 404,
    code: 'SESSION_ERR_STUDENT_NOT_FOUND',
  });

  return { status: 404, entry };
}

/**
 * The session read API: `GET /v1/students/{studentId}/session` and
 * `POST /v1/students/session:batch`. One Redis round trip per request, RBAC
 * inside that round trip, and an audit record per student written before the
 * response leaves.
 */
export async function sessionRoutes(app: FastifyInstance, options: SessionApiOptions) {
  const { store, audit, pseudonymizer } = options;
  const policy = { ...defaultFreshnessPolicy, ...options.freshness };
  const now = options.now ?? Date.now;
  const pseudonymOf = (tenantId: string, id: string) => pseudonymizer.pseudonym(tenantId, id);
  const merge = (id: string, read: StudentRead) =>
    mergeSession(id, read.snapshot as string, read.realtime, policy, now());

  await app.register(rateLimit, {
    max: options.tenantRequestsPerSecond ?? 1000,
    timeWindow: 1000,
    hook: 'preHandler',
    keyGenerator: (request) => principalOf(request)?.tenantId ?? `ip:${request.ip}`,
    errorResponseBuilder: (_request, context) =>
      sessionErrors.create('SESSION_ERR_RATE_LIMITED', 'Tenant request rate exceeded; retry.', {
        details: { retry_after_seconds: Math.ceil(context.ttl / 1000) },
      }),
  });
  app.addHook('onError', async (request, _reply, error) => {
    request.sessionErrorCode = (error as { code?: string }).code;
  });

  const invalidId = () =>
    sessionErrors.create(
      'SESSION_ERR_INVALID_STUDENT_ID',
      'A student id is 1-64 of A-Z a-z 0-9 _ . : - and starts with a letter or digit.',
    );
  const invalidBatch = () =>
    sessionErrors.create(
      'SESSION_ERR_INVALID_BATCH',
      'Send {"student_ids": [...]} with 1-50 distinct valid ids.',
    );

  app.get<{ Params: { studentId: string } }>(
    '/v1/students/:studentId/session',
    {
      schema: getSessionSchema,
      schemaErrorFormatter: invalidId,
      onSend: auditRefusal(audit, 'student.session_read', pseudonymOf),
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const grant = readGrantOf(principal, pseudonymizer);
      const { studentId } = request.params;
      const student = pseudonymOf(principal.tenantId, studentId);
      if (grant.mode === 'none') {
        await refuseRole(request, grant, [student], 'student.session_read');
      }
      const result = await store.read(
        principal.tenantId,
        grant.mode as never,
        grant.callerPseudonym,
        [student],
      );
      const decision = decide(
        request,
        'student.session_read',
        grant,
        studentId,
        result.students[0] as StudentRead,
        merge,
      );
      await writeAudit(request, audit, [decision.entry]);
      if (!decision.body) {
        throw sessionErrors.create('SESSION_ERR_STUDENT_NOT_FOUND', 'No such student for you.');
      }

      return decision.body;
    },
  );

  app.post<{ Body: { student_ids: string[] } }>(
    '/v1/students/session::batch',
    {
      schema: batchSessionSchema,
      schemaErrorFormatter: invalidBatch,
      onSend: auditRefusal(audit, 'student.session_read_batch', pseudonymOf),
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const grant = readGrantOf(principal, pseudonymizer);
      const ids = request.body.student_ids;
      const students = ids.map((id) => pseudonymOf(principal.tenantId, id));
      if (grant.mode === 'none') {
        await refuseRole(request, grant, students, 'student.session_read_batch');
      }
      const result = await store.read(
        principal.tenantId,
        grant.mode as never,
        grant.callerPseudonym,
        students,
      );
      const decisions = ids.map((id, index) =>
        decide(
          request,
          'student.session_read_batch',
          grant,
          id,
          result.students[index] as StudentRead,
          merge,
        ),
      );
      await writeAudit(
        request,
        audit,
        decisions.map((d) => d.entry),
      );

      return {
        results: decisions.map((d, index) =>
          d.body
            ? { student_id: ids[index], status: 200, session: d.body }
            : { student_id: ids[index], status: 404, error: notFoundItem },
        ),
      };
    },
  );

  async function refuseRole(
    request: FastifyRequest,
    grant: ReadGrant,
    students: string[],
    action: Action,
  ) {
    const entries = students.map((student) =>
      auditEntry(request, action, grant.callerPseudonym, {
        student,
        outcome: 'denied',
        status: 403,
        code: 'SESSION_ERR_ROLE_CANNOT_READ',
      }),
    );
    await writeAudit(request, audit, entries);
    throw sessionErrors.create(
      'SESSION_ERR_ROLE_CANNOT_READ',
      'This role never reads individual sessions; use the aggregates.',
    );
  }
}

const notFoundItem = { code: 'SESSION_ERR_STUDENT_NOT_FOUND', title: 'Student not found' };
