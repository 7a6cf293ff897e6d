import type { z } from 'zod';
import { type CanonicalEvent, incomingEnvelope } from './envelope.js';
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

/**
 * Validates one incoming event on its own and returns it in canonical form, or
 * the stable code and a message saying what to fix. Tenant checks against the
 * caller happen in the ingest service, which knows the caller's role.
 *
 * @example
 * const result = validateEvent(body.events[0], { tenantId, traceId, now: new Date() });
 * if (!result.ok) reply.code(400).send({ code: result.code, detail: result.message });
 */
export function validateEvent(raw: unknown, context: ValidationContext): EventValidation {
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

  const event: CanonicalEvent = {
    ...input,
    tenant_id: context.tenantId,
    received_at: context.receivedAt ?? context.now.toISOString(),
    trace_id: input.trace_id ?? context.traceId,
    payload: payload.data as Record<string, unknown>,
  };

  return { ok: true, event, family: entry.family };
}
