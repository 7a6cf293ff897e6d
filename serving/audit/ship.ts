import { v7 } from 'uuid';
import type { IncomingEnvelope, Role } from '../../core/index.js';
import { auditRecords, isUnreadable } from './audit-records.js';
import type { AuditRow } from './chain.js';

/** A page of `audit.recorded` events and the cursor to ask for the next page. */
export interface AuditEventPage {
  readonly events: IncomingEnvelope[];
  /** The `seq` of the last record read (pass it back as `afterSeq`). */
  readonly lastSeq: number;
  /** Records without a verified tenant or role (401s): kept locally, never shipped. */
  readonly skipped: number;
}

/** A deterministic UUIDv7 per record, so shipping the same record twice dedupes. */
function eventIdOf(row: AuditRow): string {
  return v7({ msecs: Date.parse(row.recorded_at), random: Buffer.from(row.hash, 'hex') });
}

function toEnvelope(row: AuditRow): IncomingEnvelope | undefined {
  if (!row.tenant_id || !row.actor_id || !row.actor_role) return undefined;

  return {
    event_id: eventIdOf(row),
    tenant_id: row.tenant_id,
    event_type: 'audit.recorded',
    schema_version: 1,
    occurred_at: row.recorded_at,
    actor: { id: row.actor_id, role: row.actor_role as Role },
    ...(row.student_id ? { student_id: row.student_id } : {}),
    trace_id: row.trace_id,
    payload: {
      action: row.action,
      resource_type: 'student',
      outcome: row.outcome,
      fields: JSON.parse(row.fields) as string[],
      http_status: row.http_status,
    },
  };
}

/**
 * Reads up to `limit` audit records after `afterSeq` as `audit.recorded`
 * envelopes, ready for the ingest path. Actor and student ids are already
 * pseudonyms. A line that is not a record ends the page early (run
 * `luca audit verify`).
 *
 * @example
 * let cursor = 0;
 * const page = readAuditEvents(join(paths.state, 'audit'), { afterSeq: cursor });
 * await landEvents(page.events);
 * cursor = page.lastSeq;
 */
export function readAuditEvents(
  dir: string,
  options: { afterSeq?: number; limit?: number } = {},
): AuditEventPage {
  const afterSeq = options.afterSeq ?? 0;
  const limit = options.limit ?? 5_000;
  const events: IncomingEnvelope[] = [];
  let lastSeq = afterSeq;
  let read = 0;
  for (const item of auditRecords(dir, afterSeq)) {
    if (isUnreadable(item)) break;
    const event = toEnvelope(item);
    if (event) events.push(event);
    lastSeq = item.seq;
    if (++read >= limit) break;
  }

  return { events, lastSeq, skipped: read - events.length };
}

/** Ships every record after `afterSeq` page by page through `sink`; returns the new cursor. */
export async function shipAuditEvents(
  dir: string,
  sink: (events: IncomingEnvelope[]) => Promise<void>,
  options: { afterSeq?: number; pageSize?: number } = {},
): Promise<{ shipped: number; skipped: number; lastSeq: number }> {
  const pageSize = options.pageSize ?? 5_000;
  let lastSeq = options.afterSeq ?? 0;
  let shipped = 0;
  let skipped = 0;
  let page: IncomingEnvelope[] = [];
  // One pass over the segments; each full page goes to the sink before the next is read.
  for (const item of auditRecords(dir, lastSeq)) {
    if (isUnreadable(item)) break;
    const event = toEnvelope(item);
    if (event) page.push(event);
    else skipped += 1;
    lastSeq = item.seq;
    if (page.length >= pageSize) {
      await sink(page);
      shipped += page.length;
      page = [];
    }
  }
  if (page.length > 0) await sink(page);
  shipped += page.length;

  return { shipped, skipped, lastSeq };
}
