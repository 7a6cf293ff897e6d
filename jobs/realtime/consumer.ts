import type { Redis } from 'ioredis';
import type { ErasedStudentsLookup, Logger } from '../../core/index.js';
import type { SequencedEvent } from '../../pipelines/index.js';
import { defaultKeyPrefix } from '../publish/index.js';
import { type ApplySettings, applyEvents, defineApplyCommand } from './apply-events.js';
import type { LandedEvent, RealtimeBackfill } from './backfill.js';
import { withoutErased } from './erased-filter.js';
import {
  type CatchUpReason,
  type CatchUpStats,
  type CatchUpSummary,
  LakeCatchUp,
} from './catch-up.js';
import type { RealtimeEventSource } from './event-source.js';

export interface RealtimeConsumerOptions {
  source: RealtimeEventSource;
  /**
   * Where landed events are read back from after a gap or a start with no
   * saved cursor (`lakeBackfill` locally). Without one a gap is only logged.
   */
  backfill?: RealtimeBackfill;
  /** Who was erased: their buffered events are not applied (none: every event is). */
  erasures?: ErasedStudentsLookup;
  redis: Redis;
  keyPrefix?: string;
  /** Names the durable cursor, so two consumers of different buffers do not mix. */
  consumerName?: string;
  /** Idle wait between polls (default 200 ms; the 5 s target leaves room). */
  pollMs?: number;
  batchSize?: number;
  /**
   * How long a day's dedup set lives (default 3 days: redelivery comes
   * sooner); it also bounds the days a catch-up replays (`replayWindow`).
   */
  seenTtlSeconds?: number;
  /** A student's hash disappears after this long without events (default 35 days). */
  hashTtlSeconds?: number;
  logger?: Logger;
  now?: () => Date;
}

/** Buffer rows read and what became of them, the cursor, and the catch-ups' totals. */
export interface RealtimeStats extends CatchUpStats {
  cursor: number;
  read: number;
  applied: number;
  duplicates: number;
  skipped: number;
}

interface BatchCounts {
  applied: number;
  duplicates: number;
  skipped: number;
}

/** Key of a consumer's durable cursor (last sequence number fully applied). */
export function cursorKey(prefix: string, consumerName: string): string {
  return `${prefix}realtime:cursor:${consumerName}`;
}

/**
 * Keeps per-student real-time signals in Redis from newly ingested events:
 * last activity, today's events and minutes, the live streak. Each event is
 * applied by one Lua script guarded by a per-student, per-day set of event
 * ids, so redelivery (a restart before the cursor was saved) counts nothing
 * twice. The cursor is saved in Redis after every batch.
 *
 * When sequence numbers after the cursor are gone from the buffer (landed
 * while the consumer was stopped or behind), or on a start with no saved
 * cursor, it first replays the landed events of the recent school days from
 * the `backfill` through the same script, in `occurred_at` order: the seen
 * sets make the replay count only what was missed (ADR 0093).
 */
export class RealtimeConsumer {
  readonly #options: RealtimeConsumerOptions;
  readonly #settings: ApplySettings;
  readonly #cursorKey: string;
  readonly #catchUp: LakeCatchUp;
  readonly #stats = { cursor: 0, read: 0, applied: 0, duplicates: 0, skipped: 0 };
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;

  constructor(options: RealtimeConsumerOptions) {
    this.#options = options;
    const prefix = options.keyPrefix ?? defaultKeyPrefix;
    this.#settings = {
      redis: options.redis,
      prefix,
      seenTtlSeconds: options.seenTtlSeconds ?? 3 * 86_400,
      hashTtlSeconds: options.hashTtlSeconds ?? 35 * 86_400,
    };
    this.#cursorKey = cursorKey(prefix, options.consumerName ?? 'default');
    this.#catchUp = new LakeCatchUp({
      backfill: options.backfill,
      settings: this.#settings,
      batchSize: options.batchSize ?? 1000,
      logger: options.logger,
    });
    defineApplyCommand(options.redis);
  }

  /**
   * Polls until `stop`: a full batch is followed at once by the next one, an
   * empty poll waits `pollMs`. A failed poll is logged and retried after a pause.
   */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops after the batch in progress; the cursor is saved, so a restart resumes. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    this.#loop = null;
  }

  async #run(): Promise<void> {
    const pollMs = this.#options.pollMs ?? 200;
    while (this.#running) {
      let read = 0;
      try {
        read = await this.pollOnce();
      } catch (err) {
        this.#options.logger?.error({ job: 'realtime', err }, 'realtime poll failed');
        await this.#sleep(Math.max(pollMs, 1000));
        continue;
      }
      if (read === 0) await this.#sleep(pollMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  stats(): RealtimeStats {
    return { ...this.#stats, ...this.#catchUp.stats() };
  }

  /**
   * Reads and applies one batch after the saved cursor, after a catch-up
   * from the backfill when numbers before the batch are gone from the buffer
   * or no cursor was saved yet; returns how many buffer rows it read.
   */
  async pollOnce(): Promise<number> {
    const { redis, source } = this.#options;
    const saved = await redis.get(this.#cursorKey);
    const cursor = Number(saved ?? 0);
    // Read before the rows: every number up to it is then in `rows` or gone from the buffer.
    const lastSeq = (await source.lastSeq?.()) ?? 0;
    const rows = await source.readAfter(cursor, this.#options.batchSize ?? 1000);
    const hasGap = this.#hasGap(cursor, rows, lastSeq);
    const reason = saved === null ? 'no_cursor' : hasGap ? 'gap' : null;
    if (reason) await this.catchUp(reason);
    else if (this.#catchUp.isRetryDue()) await this.catchUp('retry');

    if (rows.length === 0) {
      if (saved === null || lastSeq > cursor) await this.#saveCursor(Math.max(cursor, lastSeq));
      return 0;
    }
    const counts = await this.#apply(rows);
    const last = (rows.at(-1) as SequencedEvent).seq;
    await this.#saveCursor(last);
    this.#record(rows, counts, last);

    return rows.length;
  }

  /**
   * Replays the landed events of the recent school days through the apply
   * script (see `LakeCatchUp.run`); `pollOnce` calls it after a gap or when
   * no cursor is saved. Running it again changes nothing.
   */
  catchUp(reason: CatchUpReason = 'requested'): Promise<CatchUpSummary> {
    return this.#catchUp.run(reason, this.#options.now?.() ?? new Date());
  }

  /**
   * True (and logged) when numbers after the cursor are gone from the buffer:
   * landed unseen, or never committed or erased (a false positive, which the
   * catch-up's seen sets make harmless).
   */
  #hasGap(cursor: number, rows: readonly SequencedEvent[], lastSeq: number): boolean {
    const first = rows[0]?.seq ?? null;
    const gap = (first ?? lastSeq + 1) - cursor - 1;
    if (gap <= 0) return false;
    this.#options.logger?.warn(
      { job: 'realtime', cursor, first_seq: first, last_seq: lastSeq, gap },
      'realtime gap',
    );

    return true;
  }

  async #saveCursor(cursor: number): Promise<void> {
    await this.#options.redis.set(this.#cursorKey, String(cursor));
    this.#stats.cursor = cursor;
  }

  async #apply(rows: readonly SequencedEvent[]): Promise<BatchCounts> {
    const now = (this.#options.now?.() ?? new Date()).toISOString();
    const behaviour = rows.filter(
      (row): row is SequencedEvent & LandedEvent => row.family === 'behaviour' && !!row.student_id,
    );
    const { erasures } = this.#options;
    const eligible = erasures ? withoutErased(behaviour, erasures) : behaviour;
    const applied = await applyEvents(this.#settings, eligible, now);

    return {
      applied,
      duplicates: eligible.length - applied,
      skipped: rows.length - eligible.length,
    };
  }

  #record(rows: readonly SequencedEvent[], counts: BatchCounts, cursor: number): void {
    const { applied, duplicates, skipped } = counts;
    this.#catchUp.noteApplied(rows);
    this.#stats.read += rows.length;
    this.#stats.applied += applied;
    this.#stats.duplicates += duplicates;
    this.#stats.skipped += skipped;
    this.#options.logger?.info(
      { job: 'realtime', cursor, rows_in: rows.length, applied, duplicates, skipped },
      'realtime batch applied',
    );
  }
}
