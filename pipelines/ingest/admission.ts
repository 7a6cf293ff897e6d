import {
  type CanonicalEvent,
  type EventFamily,
  type Principal,
  type Pseudonymizer,
  validateEvent,
} from '../../core/index.js';
import type { BufferedEvent } from '../buffer/index.js';
import type { IngestRejectionCode } from './errors.js';

/** One event either admitted (as the row the buffer stores) or rejected with a stable code. */
export type Admission =
  | { ok: true; row: BufferedEvent }
  | { ok: false; eventId: string | undefined; code: IngestRejectionCode; message: string };

export interface AdmissionContext {
  readonly principal: Principal;
  readonly pseudonymizer: Pseudonymizer;
  readonly traceId: string;
  readonly now: Date;
  /** `now.toISOString()`, computed once per batch. */
  readonly receivedAt?: string;
  /** Pseudonyms erased in the caller's tenant (the erasure register), looked up once per batch. */
  readonly erasedStudents?: ReadonlySet<string>;
}

const erasedMessage =
  'the student was erased on request; this event is refused and must not be re-sent';

/** `YYYY-MM-DDTHH:mm:ss.sssZ`: already what `toISOString` would return. */
function isCanonicalInstant(value: string): boolean {
  return value.length === 24 && value.charCodeAt(23) === 90 && value.charCodeAt(19) === 46;
}

function eventIdOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as Record<string, unknown>).event_id;

  return typeof id === 'string' && id.length <= 64 ? id : undefined;
}

function reject(raw: unknown, code: IngestRejectionCode, message: string): Admission {
  return { ok: false, eventId: eventIdOf(raw), code, message };
}

/** Whether the caller's role may post this event; a rejection message when not. */
function checkRole(
  event: CanonicalEvent,
  family: EventFamily,
  principal: Principal,
): { code: IngestRejectionCode; message: string } | undefined {
  if (principal.role === 'student') {
    const isSelf =
      event.student_id === principal.subject &&
      event.actor.id === principal.subject &&
      event.actor.role === 'student';
    if (!isSelf) {
      const message = 'a student token may post only its own events (student_id and actor)';
      return { code: 'INGEST_ERR_STUDENT_MISMATCH', message };
    }
  }
  if (principal.role === 'service' && family === 'behaviour') {
    const message = 'a service token may post grade and audit events only';
    return { code: 'INGEST_ERR_EVENT_TYPE_NOT_ALLOWED', message };
  }

  return undefined;
}

/**
 * Whether the row is about an erased student, as the student or as the actor:
 * the rows the erasure removes from the buffer. Audit rows pass, as the
 * erasure keeps them (its own `student.erased` event names the student).
 */
function isAboutErasedStudent(row: BufferedEvent, erased: ReadonlySet<string> | undefined) {
  if (erased === undefined || erased.size === 0 || row.family === 'audit') return false;

  return erased.has(row.actor_id) || (row.student_id !== null && erased.has(row.student_id));
}

/** The lake row: ids pseudonymised, instants in UTC, payload as JSON text. */
function toRow(
  event: CanonicalEvent,
  family: EventFamily,
  context: AdmissionContext,
): BufferedEvent {
  const { pseudonymizer } = context;
  // The contract already checked the instant (calendar included); only other
  // offsets and precisions need normalising.
  const occurredAt = isCanonicalInstant(event.occurred_at)
    ? event.occurred_at
    : new Date(event.occurred_at).toISOString();

  return {
    family,
    tenant_id: event.tenant_id,
    event_date: occurredAt.slice(0, 10),
    event_id: event.event_id,
    event_type: event.event_type,
    schema_version: event.schema_version,
    occurred_at: occurredAt,
    received_at: event.received_at,
    actor_id: pseudonymizer.pseudonym(event.tenant_id, event.actor.id),
    actor_role: event.actor.role,
    student_id: event.student_id
      ? pseudonymizer.pseudonym(event.tenant_id, event.student_id)
      : null,
    trace_id: event.trace_id,
    payload: JSON.stringify(event.payload),
  };
}

/**
 * Admits one incoming event: the body's tenant must be the caller's, the
 * contract must validate, the role must allow it; then its student and actor
 * ids are replaced by pseudonyms so nothing raw reaches the buffer or the lake,
 * and a grade or behaviour event of an erased student is refused.
 */
export function admitEvent(raw: unknown, context: AdmissionContext): Admission {
  const { principal } = context;
  const bodyTenant = (raw as { tenant_id?: unknown } | null)?.tenant_id;
  if (bodyTenant !== undefined && bodyTenant !== principal.tenantId) {
    return reject(raw, 'TENANCY_ERR_CROSS_TENANT', 'tenant_id differs from the token tenant');
  }

  const validation = validateEvent(raw, {
    tenantId: principal.tenantId,
    traceId: context.traceId,
    now: context.now,
    receivedAt: context.receivedAt,
  });
  if (!validation.ok) return reject(raw, validation.code, validation.message);

  const denied = checkRole(validation.event, validation.family, principal);
  if (denied) return reject(raw, denied.code, denied.message);

  const row = toRow(validation.event, validation.family, context);
  if (isAboutErasedStudent(row, context.erasedStudents)) {
    return reject(raw, 'INGEST_ERR_STUDENT_ERASED', erasedMessage);
  }

  return { ok: true, row };
}
