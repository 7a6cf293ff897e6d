import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../core/index.js';
import type { AuditEntry, AuditLog } from '../audit/index.js';
import { traceIdOf } from '../observability/trace.js';
import { studentIdSchema } from './schemas.js';

type Action = AuditEntry['action'];

const validStudentId = new RegExp(studentIdSchema.pattern);

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once the request's audit records are handed to the log. */
    auditWritten?: boolean;
    sessionErrorCode?: string;
  }
}

/** The verified caller set by the auth hook, if any. */
export function principalOf(request: FastifyRequest): Principal | undefined {
  return request.principal ?? undefined;
}

/** Builds the audit entry of one student in this request. */
export function auditEntry(
  request: FastifyRequest,
  action: Action,
  actorPseudonym: string | null,
  fields: {
    student: string | null;
    outcome: AuditEntry['outcome'];
    status: number;
    parts?: string[];
    code?: string;
  },
): AuditEntry {
  const principal = principalOf(request);

  return {
    trace_id: traceIdOf(request),
    tenant_id: principal?.tenantId ?? null,
    actor_id: actorPseudonym,
    actor_role: principal?.role ?? null,
    action,
    student_id: fields.student,
    outcome: fields.outcome,
    http_status: fields.status,
    fields: fields.parts ?? [],
    error_code: fields.code ?? null,
  };
}

/**
 * Writes the request's entries before anything is sent. It rejects (and the
 * read fails closed with 503) when the audit log cannot write.
 */
export async function writeAudit(
  request: FastifyRequest,
  audit: AuditLog,
  entries: AuditEntry[],
): Promise<void> {
  request.auditWritten = true;
  await audit.append(entries);
}

function outcomeOfStatus(status: number): AuditEntry['outcome'] {
  if (status < 400) return 'allowed';
  if (status === 404) return 'not_found';
  if (status === 401 || status === 403 || status === 429) return 'denied';

  return 'error';
}

/**
 * The `onSend` safety net: a request refused before the handler decided
 * (bad token, bad id, rate limit, Redis down, overload) still leaves exactly
 * one record. Such responses carry no student data, so the record joins the
 * next group commit without holding the response (an outage answers 503 in
 * milliseconds even when the disk is slow), and a failing audit log is logged
 * rather than turned into another error.
 */
export function auditRefusal(audit: AuditLog, action: Action, pseudonymOf: PseudonymOf) {
  // Callback style: the common case (already audited) costs no promise.
  return (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: OnSendDone) => {
    if (request.auditWritten) return done(null, payload);
    const principal = principalOf(request);
    const studentId = (request.params as { studentId?: string } | undefined)?.studentId;
    const entry = auditEntry(
      request,
      action,
      principal ? pseudonymOf(principal.tenantId, principal.subject) : null,
      {
        student:
          principal && studentId && validStudentId.test(studentId)
            ? pseudonymOf(principal.tenantId, studentId)
            : null,
        outcome: outcomeOfStatus(reply.statusCode),
        status: reply.statusCode,
        ...(request.sessionErrorCode ? { code: request.sessionErrorCode } : {}),
      },
    );
    writeAudit(request, audit, [entry]).catch((err) => {
      request.log.error({ err, http_status: reply.statusCode }, 'audit of refused read failed');
    });
    done(null, payload);
  };
}

type OnSendDone = (err: Error | null, payload: unknown) => void;

export type PseudonymOf = (tenantId: string, id: string) => string;
