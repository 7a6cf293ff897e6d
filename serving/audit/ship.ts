import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { v7 } from 'uuid';
import type { IncomingEnvelope, Role } from '../../core/index.js';
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
 * Reads audit records after `afterSeq` as `audit.recorded` envelopes, ready
 * for the ingest path. Actor and student ids are already pseudonyms.
 *
 * @example
 * let cursor = 0;
 * const page = readAuditEvents(join(paths.state, 'audit.db'), { afterSeq: cursor });
 * await landEvents(page.events);
 * cursor = page.lastSeq;
 */
export function readAuditEvents(
  path: string,
  options: { afterSeq?: number; limit?: number } = {},
): AuditEventPage {
  const afterSeq = options.afterSeq ?? 0;
  if (!existsSync(path)) return { events: [], lastSeq: afterSeq, skipped: 0 };
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('select * from audit_records where seq > ? order by seq limit ?')
      .all(afterSeq, options.limit ?? 5_000) as AuditRow[];
    const events = rows.map(toEnvelope).filter((event) => event !== undefined);

    return {
      events,
      lastSeq: rows.at(-1)?.seq ?? afterSeq,
      skipped: rows.length - events.length,
    };
  } finally {
    db.close();
  }
}

/** Ships every record after `afterSeq` page by page through `sink`; returns the new cursor. */
export async function shipAuditEvents(
  path: string,
  sink: (events: IncomingEnvelope[]) => Promise<void>,
  options: { afterSeq?: number } = {},
): Promise<{ shipped: number; skipped: number; lastSeq: number }> {
  let cursor = options.afterSeq ?? 0;
  let shipped = 0;
  let skipped = 0;
  for (;;) {
    const page = readAuditEvents(path, { afterSeq: cursor });
    if (page.lastSeq === cursor) break;
    if (page.events.length > 0) await sink(page.events);
    shipped += page.events.length;
    skipped += page.skipped;
    cursor = page.lastSeq;
  }

  return { shipped, skipped, lastSeq: cursor };
}
