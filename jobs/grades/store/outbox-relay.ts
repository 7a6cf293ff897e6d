import {
  type IncomingEnvelope,
  type Logger,
  newTraceId,
  type Principal,
} from '../../../core/index.js';
import type { OutboxRow, SqliteOutbox } from './sqlite-outbox.js';

/** The sink's answer per event, in order (the shape of the ingest service's batch call). */
export interface SinkResult {
  status: 'accepted' | 'duplicate' | 'rejected';
  code?: string;
  message?: string;
}

/** Where relayed events go: locally the ingest service's `ingestBatch`. */
export type EventSink = (
  principal: Principal,
  events: IncomingEnvelope[],
  options: { traceId: string },
) => Promise<{ readonly results: readonly SinkResult[] }>;

export interface OutboxRelayOptions {
  outbox: SqliteOutbox;
  sink: EventSink;
  /** Events per sink call (the ingest API accepts at most 500). */
  batchSize?: number;
  /** The caller the sink sees for a tenant's events. */
  principalFor?: (tenantId: string) => Principal;
  logger?: Logger;
  now?: () => Date;
}

export interface RelaySummary {
  sent: number;
  accepted: number;
  duplicate: number;
  rejected: { event_id: string; event_type: string; code: string; message: string }[];
  pending_left: number;
  /** Set when the sink failed; the unsent rows stay pending for the next run. */
  error?: string;
  duration_ms: number;
}

function servicePrincipal(tenantId: string): Principal {
  return { tenantId, role: 'service', subject: 'grades-outbox-relay', tokenId: undefined };
}

function byTenant(rows: OutboxRow[]): Map<string, OutboxRow[]> {
  const groups = new Map<string, OutboxRow[]>();
  for (const row of rows) groups.set(row.tenant_id, [...(groups.get(row.tenant_id) ?? []), row]);

  return groups;
}

/**
 * Forwards outbox rows to the sink in write order, per tenant, and marks them
 * only after the sink answered: accepted and duplicate rows are delivered,
 * rejected ones are kept with the sink's code and message. A crash between
 * the sink's answer and the mark resends the rows, which the sink recognises
 * as duplicates by `event_id` (at-least-once, effectively once).
 *
 * @example
 * const relay = new OutboxRelay({ outbox: store.outbox, sink: ingest.ingestBatch });
 * const summary = await relay.drain();
 */
export class OutboxRelay {
  readonly #options: Required<Omit<OutboxRelayOptions, 'logger'>> & { logger?: Logger };

  constructor(options: OutboxRelayOptions) {
    this.#options = {
      batchSize: 500,
      principalFor: servicePrincipal,
      now: () => new Date(),
      ...options,
    };
  }

  /** Relays every pending row (including ones written meanwhile) until none is left. */
  async drain(): Promise<RelaySummary> {
    const started = performance.now();
    const summary: RelaySummary = {
      sent: 0,
      accepted: 0,
      duplicate: 0,
      rejected: [],
      pending_left: 0,
      duration_ms: 0,
    };
    let afterSeq = 0;
    for (;;) {
      const rows = this.#options.outbox.pending(this.#options.batchSize, afterSeq);
      if (rows.length === 0) break;
      const ok = await this.#relayRows(rows, summary);
      if (!ok) break;
      afterSeq = rows.at(-1)?.seq ?? afterSeq;
    }
    summary.pending_left = this.#options.outbox.counts().pending;
    summary.duration_ms = Math.round(performance.now() - started);
    this.#options.logger?.info(
      {
        job: 'outbox-relay',
        rows_out: summary.sent,
        pending_left: summary.pending_left,
        duration_ms: summary.duration_ms,
      },
      'outbox relayed',
    );

    return summary;
  }

  async #relayRows(rows: OutboxRow[], summary: RelaySummary): Promise<boolean> {
    for (const [tenantId, group] of byTenant(rows)) {
      const seqs = group.map((row) => row.seq);
      this.#options.outbox.recordAttempt(seqs, this.#options.now());
      let results: readonly SinkResult[];
      try {
        const events = group.map((row) => row.event);
        const answer = await this.#options.sink(this.#options.principalFor(tenantId), events, {
          traceId: newTraceId(),
        });
        results = answer.results;
        if (results.length !== group.length) throw new Error('sink answered a different count');
      } catch (err) {
        summary.error = err instanceof Error ? err.message : String(err);
        this.#options.logger?.warn(
          { job: 'outbox-relay', tenant_id: tenantId, err },
          'sink failed',
        );
        return false;
      }
      this.#settle(group, results, summary);
    }

    return true;
  }

  #settle(group: OutboxRow[], results: readonly SinkResult[], summary: RelaySummary): void {
    const delivered: number[] = [];
    const rejected: { seq: number; code: string; message: string }[] = [];
    group.forEach((row, index) => {
      const result = results[index] as SinkResult;
      summary.sent += 1;
      if (result.status === 'rejected') {
        const code = result.code ?? 'UNKNOWN';
        const message = result.message ?? '';
        rejected.push({ seq: row.seq, code, message });
        summary.rejected.push({
          event_id: row.event_id,
          event_type: row.event_type,
          code,
          message,
        });
        return;
      }
      summary[result.status] += 1;
      delivered.push(row.seq);
    });
    this.#options.outbox.settle(delivered, rejected);
  }
}
