import type Database from 'better-sqlite3';
import type { IncomingEnvelope } from '../../../core/index.js';

export const outboxStatuses = ['pending', 'delivered', 'rejected'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/** One event waiting in (or kept by) the outbox. */
export interface OutboxRow {
  seq: number;
  event_id: string;
  tenant_id: string;
  event_type: string;
  event: IncomingEnvelope;
  attempts: number;
  reject_code: string | null;
  reject_message: string | null;
}

interface RawRow extends Omit<OutboxRow, 'event'> {
  event: string;
}

function toRow(raw: RawRow): OutboxRow {
  return { ...raw, event: JSON.parse(raw.event) as IncomingEnvelope };
}

/**
 * The outbox of the embedded store: every change writes its events here in
 * the change's own transaction; `OutboxRelay` forwards them and marks them.
 */
export class SqliteOutbox {
  readonly #db: Database.Database;
  readonly #statements;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = {
      pending: db.prepare(
        `select seq, event_id, tenant_id, event_type, event, attempts, reject_code,
         reject_message from outbox where status = 'pending' and seq > ? order by seq limit ?`,
      ),
      rejected: db.prepare(
        `select seq, event_id, tenant_id, event_type, event, attempts, reject_code,
         reject_message from outbox where status = 'rejected' order by seq limit ?`,
      ),
      attempt: db.prepare(
        'update outbox set attempts = attempts + 1, last_attempt_at = ? where seq = ?',
      ),
      delivered: db.prepare(
        "update outbox set status = 'delivered' where seq = ? and status = 'pending'",
      ),
      reject: db.prepare(
        `update outbox set status = 'rejected', reject_code = ?, reject_message = ?
         where seq = ? and status = 'pending'`,
      ),
      counts: db.prepare('select status, count(*) as n from outbox group by status'),
    };
  }

  /** Pending rows in write order, after `afterSeq`. */
  pending(limit: number, afterSeq = 0): OutboxRow[] {
    return (this.#statements.pending.all(afterSeq, limit) as RawRow[]).map(toRow);
  }

  /** Rows the sink refused, with its code and message (kept for an operator). */
  rejected(limit = 100): OutboxRow[] {
    return (this.#statements.rejected.all(limit) as RawRow[]).map(toRow);
  }

  /** Counts one delivery attempt for each row. */
  recordAttempt(seqs: readonly number[], at: Date): void {
    const run = this.#db.transaction(() => {
      for (const seq of seqs) this.#statements.attempt.run(at.toISOString(), seq);
    });
    run();
  }

  /** Marks rows delivered (accepted or already known by the sink) and others rejected. */
  settle(
    delivered: readonly number[],
    rejected: readonly { seq: number; code: string; message: string }[],
  ): void {
    const run = this.#db.transaction(() => {
      for (const seq of delivered) this.#statements.delivered.run(seq);
      for (const row of rejected) this.#statements.reject.run(row.code, row.message, row.seq);
    });
    run.immediate();
  }

  counts(): Record<OutboxStatus, number> {
    const counts: Record<OutboxStatus, number> = { pending: 0, delivered: 0, rejected: 0 };
    for (const row of this.#statements.counts.all() as { status: OutboxStatus; n: number }[]) {
      counts[row.status] = row.n;
    }

    return counts;
  }
}
