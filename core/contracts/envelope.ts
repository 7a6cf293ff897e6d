import { z } from 'zod';
import { roles } from './roles.js';
import { instant, opaqueId, tenantId, traceId, uuidV7 } from './ids.js';

/** Who caused the event. `id` is pseudonymised before anything reaches the lake. */
export const actor = z.strictObject({
  id: opaqueId,
  role: z.enum(roles),
});

/**
 * The envelope as a producer sends it. The server fills `received_at`, takes
 * `tenant_id` from the caller's token (a different one in the body is rejected)
 * and fills `trace_id` from the request when it is absent.
 */
export const incomingEnvelope = z.strictObject({
  event_id: uuidV7,
  tenant_id: tenantId.optional(),
  event_type: z.string().min(1).max(64),
  schema_version: z.number().int().min(1),
  occurred_at: instant,
  received_at: instant.optional(),
  actor,
  student_id: opaqueId.optional(),
  trace_id: traceId.optional(),
  payload: z.record(z.string(), z.unknown()),
});
export type IncomingEnvelope = z.infer<typeof incomingEnvelope>;

/** The envelope after validation at the door: every field set, ids still raw. */
export const canonicalEnvelope = incomingEnvelope.extend({
  tenant_id: tenantId,
  received_at: instant,
  trace_id: traceId,
});
export type CanonicalEvent = z.infer<typeof canonicalEnvelope>;

/**
 * The row that lands in `lake/raw/<family>/`: ids pseudonymised, payload as a
 * JSON string (Athena and DuckDB both parse it with json functions).
 * `tenant_id` and `event_date` (UTC date of `occurred_at`) are the Hive partition
 * columns and are not stored inside the files.
 */
export interface LakeEventRow {
  event_id: string;
  tenant_id: string;
  event_type: string;
  schema_version: number;
  occurred_at: string;
  received_at: string;
  actor_id: string;
  actor_role: string;
  student_id: string | null;
  trace_id: string;
  payload: string;
  event_date: string;
}
