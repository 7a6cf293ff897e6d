import type { z } from 'zod';
import { canonicalPayload, compiledContract } from './compiled-contracts.js';
import { type CanonicalEvent, type IncomingEnvelope, incomingEnvelope } from './envelope.js';
import {
  eventCatalogue,
  type EventFamily,
  type EventType,
  isEventType,
} from './event-catalogue.js';

export type EventRejectionCode =
  | 'CONTRACT_ERR_INVALID_EVENT'
  | 'CONTRACT_ERR_UNKNOWN_EVENT_TYPE'
  | 'CONTRACT_ERR_UNSUPPORTED_VERSION';

export type EventValidation =
  | { ok: true; event: CanonicalEvent; family: EventFamily }
  | { ok: false; code: EventRejectionCode; message: string };

export interface ValidationContext {
  /** The tenant of the caller, from its token. */
  tenantId: string;
  /** Trace id of the request, used when the event carries none. */
  traceId: string;
  /** Server clock; `received_at` is set from it. */
  now: Date;
  /** `now.toISOString()`, when the caller validates many events at the same instant. */
  receivedAt?: string;
}

/** Largest accepted distance of `occurred_at` into the future (device clocks drift). */
const maxFutureSkewMs = 5 * 60_000;
/** Oldest accepted `occurred_at`: a school year and a bit, for late offline uploads. */
const maxAgeMs = 400 * 86_400_000;

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

function checkTime(occurredAt: string, now: Date): string | undefined {
  const at = Date.parse(occurredAt);
  if (at > now.getTime() + maxFutureSkewMs) return 'occurred_at is more than 5 minutes ahead';
  if (at < now.getTime() - maxAgeMs) return 'occurred_at is more than 400 days old';

  return undefined;
}

/** The canonical event: the caller's tenant, the server's `received_at`, a trace id. */
function canonical(
  input: IncomingEnvelope,
  payload: Record<string, unknown>,
  context: ValidationContext,
): CanonicalEvent {
  return {
    ...input,
    tenant_id: context.tenantId,
    received_at: context.receivedAt ?? context.now.toISOString(),
    trace_id: input.trace_id ?? context.traceId,
    payload,
  };
}

/**
 * The fast path: the compiled contract of the event's type and version accepts
 * it. Undefined when it does not (zod then decides and explains why).
 */
export function acceptCompiled(
  raw: unknown,
  context: ValidationContext,
): EventValidation | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { event_type: type, schema_version: version } = raw as Record<string, unknown>;
  if (typeof type !== 'string' || typeof version !== 'number') return undefined;
  const contract = compiledContract(type, version);
  if (!contract?.validate(raw)) return undefined;

  const input = raw as IncomingEnvelope;
  let payload = canonicalPayload(contract, input.payload);
  if (contract.zodPayload) {
    const checked = contract.zodPayload.safeParse(input.payload);
    if (!checked.success) return undefined;
    payload = checked.data as Record<string, unknown>;
  }
  const timeProblem = checkTime(input.occurred_at, context.now);
  if (timeProblem) return { ok: false, code: 'CONTRACT_ERR_INVALID_EVENT', message: timeProblem };

  return { ok: true, event: canonicalOf(input, payload, context), family: contract.family };
}

/**
 * `canonical` for an event the compiled contract accepted, built field by
 * field: spreading a parsed body object is several times slower, and the
 * contract guarantees there is no other field.
 */
function canonicalOf(
  input: IncomingEnvelope,
  payload: Record<string, unknown>,
  context: ValidationContext,
): CanonicalEvent {
  const event: CanonicalEvent = {
    event_id: input.event_id,
    tenant_id: context.tenantId,
    event_type: input.event_type,
    schema_version: input.schema_version,
    occurred_at: input.occurred_at,
    received_at: context.receivedAt ?? context.now.toISOString(),
    actor: { id: input.actor.id, role: input.actor.role },
    trace_id: input.trace_id ?? context.traceId,
    payload,
  };
  if (input.student_id !== undefined) event.student_id = input.student_id;

  return event;
}

/**
 * Validates one incoming event on its own and returns it in canonical form, or
 * the stable code and a message saying what to fix. Tenant checks against the
 * caller happen in the ingest service, which knows the caller's role.
 *
 * Events are first checked by the contracts compiled from zod's JSON Schema
 * (`compiled-contracts.ts`); whatever they do not accept is validated by zod
 * itself, so codes and messages come from zod.
 *
 * @example
 * const result = validateEvent(body.events[0], { tenantId, traceId, now: new Date() });
 * if (!result.ok) reply.code(400).send({ code: result.code, detail: result.message });
 */
export function validateEvent(raw: unknown, context: ValidationContext): EventValidation {
  return acceptCompiled(raw, context) ?? validateWithZod(raw, context);
}

/** The contract checked by zod: the reference behaviour, and every rejection's message. */
export function validateWithZod(raw: unknown, context: ValidationContext): EventValidation {
  const envelope = incomingEnvelope.safeParse(raw);
  if (!envelope.success) {
    return { ok: false, code: 'CONTRACT_ERR_INVALID_EVENT', message: describe(envelope.error) };
  }
  const input = envelope.data;
  if (!isEventType(input.event_type)) {
    const message = `event_type '${input.event_type}' is not in the catalogue`;
    return { ok: false, code: 'CONTRACT_ERR_UNKNOWN_EVENT_TYPE', message };
  }

  const entry = eventCatalogue[input.event_type as EventType];
  const schema = (entry.versions as Record<number, z.ZodType>)[input.schema_version];
  if (!schema) {
    const supported = Object.keys(entry.versions).join(', ');
    const message = `${input.event_type} has no schema_version ${input.schema_version} (supported: ${supported})`;
    return { ok: false, code: 'CONTRACT_ERR_UNSUPPORTED_VERSION', message };
  }

  const payload = schema.safeParse(input.payload);
  if (!payload.success) {
    return {
      ok: false,
      code: 'CONTRACT_ERR_INVALID_EVENT',
      message: `payload.${describe(payload.error)}`,
    };
  }
  if (entry.requiresStudent && !input.student_id) {
    const message = `${input.event_type} requires student_id`;
    return { ok: false, code: 'CONTRACT_ERR_INVALID_EVENT', message };
  }
  const timeProblem = checkTime(input.occurred_at, context.now);
  if (timeProblem) return { ok: false, code: 'CONTRACT_ERR_INVALID_EVENT', message: timeProblem };

  return {
    ok: true,
    event: canonical(input, payload.data as Record<string, unknown>, context),
    family: entry.family,
  };
}
