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
import { sessionJson } from './session-json.js';

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

interface Decision<Body> {
  readonly status: 200 | 404;
  readonly body?: Body;
  readonly entry: AuditEntry;
}

type Action = AuditEntry['action'];

/** A visible student's response part and the part names the audit records. */
type Render<Body> = (studentId: string, read: StudentRead) => { body: Body; parts: string[] };

/** Turns one student's read into the response part and its audit entry. */
function decide<Body>(
  request: FastifyRequest,
  action: Action,
  grant: ReadGrant,
  studentId: string,
  read: StudentRead,
  render: Render<Body>,
): Decision<Body> {
  if (read.allowed && read.snapshot !== undefined) {
    const { body, parts } = render(studentId, read);
    const entry = auditEntry(request, action, grant.callerPseudonym, {
      student: read.studentPseudonym,
      outcome: 'allowed',
      status: 200,
      parts,
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
  // The single read answers spliced JSON text (ADR 0072); the batch keeps objects.
  const renderJson: Render<string | Buffer> = (id, read) => {
    const session = sessionJson(id, read.snapshot as Buffer, read.realtime, policy, now());

    return { body: session.json, parts: session.parts };
  };
  const renderBody: Render<SessionBody> = (id, read) => {
    const text = (read.snapshot as Buffer).toString('utf8');
    const body = mergeSession(id, text, read.realtime, policy, now());

    return { body, parts: returnedParts(body) };
  };

  await app.register(rateLimit, {
    max: options.tenantRequestsPerSecond ?? 1000,
    timeWindow: 1000,
    hook: 'preHandler',
    // The x-ratelimit-* headers go on 429 answers only: three headers on every
    // read cost more than they tell a screen (docs/read-path.md).
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
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
    async (request, reply) => {
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
        renderJson,
      );
      await writeAudit(request, audit, [decision.entry]);
      if (decision.body === undefined) {
        throw sessionErrors.create('SESSION_ERR_STUDENT_NOT_FOUND', 'No such student for you.');
      }
      // Already JSON text: Fastify sends a string with a JSON type as it is.
      reply.type('application/json; charset=utf-8');

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
          renderBody,
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
