import { createHash } from 'node:crypto';
import type { CanonicalEvent, LakeEventRow, Pseudonymizer } from '../../core/index.js';

/** UTC calendar date (`yyyy-MM-dd`) of an instant: the `event_date` partition value. */
export function eventDateOf(instantValue: string): string {
  return new Date(instantValue).toISOString().slice(0, 10);
}

/**
 * The row a canonical event lands as, in the cloud exactly as on disk: ids
 * pseudonymised with the tenant's key, payload as a JSON string, `tenant_id`
 * and `event_date` carried for Firehose dynamic partitioning (they become the
 * Hive partition directories, not columns inside the Parquet file).
 */
export function toLakeRow(event: CanonicalEvent, pseudonymizer: Pseudonymizer): LakeEventRow {
  const tenant = event.tenant_id;

  return {
    event_id: event.event_id,
    tenant_id: tenant,
    event_type: event.event_type,
    schema_version: event.schema_version,
    occurred_at: new Date(event.occurred_at).toISOString(),
    received_at: new Date(event.received_at).toISOString(),
    actor_id: pseudonymizer.pseudonym(tenant, event.actor.id),
    actor_role: event.actor.role,
    student_id: event.student_id ? pseudonymizer.pseudonym(tenant, event.student_id) : null,
    trace_id: event.trace_id,
    payload: JSON.stringify(event.payload),
    event_date: eventDateOf(event.occurred_at),
  };
}

/**
 * A UUIDv7 whose time part is `ms` and whose other bits come from a hash of
 * `seed`: the same stream record always yields the same event id, so a
 * redelivered record is deduplicated downstream by `event_id`.
 */
export function deterministicUuidV7(ms: number, seed: string): string {
  const hash = createHash('sha256').update(seed).digest();
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(Math.max(0, Math.floor(ms)), 0, 6);
  hash.copy(bytes, 6, 0, 10);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');

  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A W3C trace id derived from `seed` (never all zeros in practice: 128 bits of SHA-256). */
export function deterministicTraceId(seed: string): string {
  return createHash('sha256').update(`trace:${seed}`).digest('hex').slice(0, 32);
}
