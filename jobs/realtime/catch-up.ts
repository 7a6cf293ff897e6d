import type { Logger } from '../../core/index.js';
import { type ApplySettings, applyEvents } from './apply-events.js';
import { type LandedEvent, type RealtimeBackfill, replayWindow } from './backfill.js';
import { realtimeErrors } from './errors.js';

/** Why a catch-up ran: a jump in sequence numbers, no saved cursor, a retry, or a caller. */
export type CatchUpReason = 'gap' | 'no_cursor' | 'retry' | 'requested';

/** What one catch-up did (also its log line's fields). */
export interface CatchUpSummary {
  reason: CatchUpReason;
  first_local_date: string | null;
  last_local_date: string | null;
  received_since: string | null;
  rows_in: number;
  applied: number;
  duplicates: number;
  duration_ms: number;
}

/** Totals over every catch-up of a consumer. */
export interface CatchUpStats {
  /** Catch-ups finished, failed ones included. */
  catchUps: number;
  /** Landed events read back, of which newly applied and already counted. */
  replayed: number;
  replayApplied: number;
  replayDuplicates: number;
  /** Catch-ups that stopped on an error (`REALTIME_ERR_CATCH_UP_FAILED`, retried later). */
  catchUpFailures: number;
}

export interface LakeCatchUpOptions {
  /** None: nothing is replayed and a gap is only logged. */
  backfill?: RealtimeBackfill;
  settings: ApplySettings;
  batchSize: number;
  logger?: Logger;
}

/**
 * How far before the newest receipt of the buffer rows applied so far a
 * catch-up after a gap starts reading: a row numbered after the cursor was
 * committed after every applied row, and stamped `received_at` at most an
 * append's wait (seconds) before its commit.
 */
const receiptSlackMs = 10 * 60_000;
/** Wait after a failed catch-up before the next try. */
const retryAfterMs = 60_000;

/**
 * Replays landed events through the apply script for a consumer, and keeps
 * what the next catch-up needs: the newest receipt applied from the buffer,
 * and whether one failed and is due again.
 */
export class LakeCatchUp {
  readonly #options: LakeCatchUpOptions;
  readonly #stats: CatchUpStats = {
    catchUps: 0,
    replayed: 0,
    replayApplied: 0,
    replayDuplicates: 0,
    catchUpFailures: 0,
  };
  /** Newest `received_at` of the buffer rows applied (ms), or null. */
  #receivedHigh: number | null = null;
  /** When a failed catch-up is due again (ms), or null when none failed. */
  #retryAt: number | null = null;

  constructor(options: LakeCatchUpOptions) {
    this.#options = options;
  }

  stats(): CatchUpStats {
    return { ...this.#stats };
  }

  /** Notes buffer rows applied, so a later gap reads only what was received since. */
  noteApplied(rows: readonly { received_at: string }[]): void {
    for (const row of rows) {
      const received = Date.parse(row.received_at);
      if (received > (this.#receivedHigh ?? 0)) this.#receivedHigh = received;
    }
  }

  /** True when a failed catch-up waits and its pause has passed. */
  isRetryDue(): boolean {
    return this.#retryAt !== null && Date.now() >= this.#retryAt;
  }

  /**
   * Replays the landed events of the school days whose seen sets are still
   * alive (`replayWindow`: today and yesterday with the default TTL), in
   * `occurred_at` order; what was already counted stays as it was. After a
   * gap, once buffer rows were applied, it reads only events received since
   * shortly before the newest of them. A failure is logged
   * (`REALTIME_ERR_CATCH_UP_FAILED`) and due again a minute later over the
   * whole window.
   */
  async run(reason: CatchUpReason, now: Date): Promise<CatchUpSummary> {
    const started = performance.now();
    const since = this.#receivedSince(reason);
    const window = replayWindow(now, this.#options.settings.seenTtlSeconds, since);
    const summary: CatchUpSummary = {
      reason,
      first_local_date: window?.firstLocalDate ?? null,
      last_local_date: window?.lastLocalDate ?? null,
      received_since: since,
      rows_in: 0,
      applied: 0,
      duplicates: 0,
      duration_ms: 0,
    };
    const { backfill, settings, batchSize, logger } = this.#options;
    if (!backfill || !window) return summary;

    try {
      for await (const events of backfill.read(window, batchSize)) {
        this.#count(summary, events, await applyEvents(settings, events, now.toISOString()));
      }
    } catch (err) {
      summary.duration_ms = Math.round(performance.now() - started);
      this.#fail(err, summary);
      return summary;
    }
    this.#stats.catchUps += 1;
    this.#retryAt = null;
    summary.duration_ms = Math.round(performance.now() - started);
    logger?.info({ job: 'realtime', ...summary }, 'realtime catch-up done');

    return summary;
  }

  #receivedSince(reason: CatchUpReason): string | null {
    if (reason !== 'gap' || this.#receivedHigh === null || this.#retryAt !== null) return null;

    return new Date(this.#receivedHigh - receiptSlackMs).toISOString();
  }

  #count(summary: CatchUpSummary, events: readonly LandedEvent[], applied: number): void {
    summary.rows_in += events.length;
    summary.applied += applied;
    summary.duplicates += events.length - applied;
    this.#stats.replayed += events.length;
    this.#stats.replayApplied += applied;
    this.#stats.replayDuplicates += events.length - applied;
  }

  #fail(cause: unknown, summary: CatchUpSummary): void {
    this.#stats.catchUps += 1;
    this.#stats.catchUpFailures += 1;
    this.#retryAt = Date.now() + retryAfterMs;
    const err = realtimeErrors.create(
      'REALTIME_ERR_CATCH_UP_FAILED',
      'Landed events could not be replayed from the lake; the consumer tries again in a minute.',
      { cause },
    );
    this.#options.logger?.error({ job: 'realtime', err, ...summary }, 'realtime catch-up failed');
  }
}
