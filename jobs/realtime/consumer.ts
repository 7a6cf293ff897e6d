import type { ChainableCommander, Redis } from 'ioredis';
import type { Logger } from '../../core/index.js';
import type { SequencedEvent } from '../../pipelines/index.js';
import { defaultKeyPrefix, profileKeys } from '../publish/index.js';
import { applyEventScript } from './apply-script.js';
import type { RealtimeEventSource } from './event-source.js';
import { signalInputOf } from './signals.js';

export interface RealtimeConsumerOptions {
  source: RealtimeEventSource;
  redis: Redis;
  keyPrefix?: string;
  /** Names the durable cursor, so two consumers of different buffers do not mix. */
  consumerName?: string;
  /** Idle wait between polls (default 200 ms; the 5 s target leaves room). */
  pollMs?: number;
  batchSize?: number;
  /** How long a day's dedup set lives (default 3 days: redelivery comes sooner). */
  seenTtlSeconds?: number;
  /** A student's hash disappears after this long without events (default 35 days). */
  hashTtlSeconds?: number;
  logger?: Logger;
  now?: () => Date;
}

export interface RealtimeStats {
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

/** The pipeline with the command `defineCommand` adds (ioredis cannot type it). */
type ApplyPipeline = ChainableCommander & {
  lucaApplyEvent(...args: (string | number)[]): ApplyPipeline;
};

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
 */
export class RealtimeConsumer {
  readonly #options: RealtimeConsumerOptions;
  readonly #prefix: string;
  readonly #cursorKey: string;
  readonly #stats: RealtimeStats = { cursor: 0, read: 0, applied: 0, duplicates: 0, skipped: 0 };
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;

  constructor(options: RealtimeConsumerOptions) {
    this.#options = options;
    this.#prefix = options.keyPrefix ?? defaultKeyPrefix;
    this.#cursorKey = cursorKey(this.#prefix, options.consumerName ?? 'default');
    options.redis.defineCommand('lucaApplyEvent', { numberOfKeys: 2, lua: applyEventScript });
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
    return { ...this.#stats };
  }

  /** Reads and applies one batch after the saved cursor; returns how many rows it read. */
  async pollOnce(): Promise<number> {
    const { redis, source } = this.#options;
    const cursor = Number((await redis.get(this.#cursorKey)) ?? 0);
    const rows = await source.readAfter(cursor, this.#options.batchSize ?? 1000);
    if (rows.length === 0) return 0;
    const first = rows[0] as SequencedEvent;
    if (cursor > 0 && first.seq > cursor + 1) {
      const gap = first.seq - cursor - 1;
      this.#options.logger?.warn(
        { job: 'realtime', cursor, first_seq: first.seq, gap },
        'realtime gap',
      );
    }

    const counts = await this.#apply(rows);
    const last = (rows.at(-1) as SequencedEvent).seq;
    await redis.set(this.#cursorKey, String(last));
    this.#record(rows.length, counts, last);

    return rows.length;
  }

  async #apply(rows: readonly SequencedEvent[]): Promise<BatchCounts> {
    const now = (this.#options.now?.() ?? new Date()).toISOString();
    const seenTtl = this.#options.seenTtlSeconds ?? 3 * 86_400;
    const hashTtl = this.#options.hashTtlSeconds ?? 35 * 86_400;
    const eligible = rows.filter((row) => row.family === 'behaviour' && row.student_id);
    const pipeline = this.#options.redis.pipeline() as ApplyPipeline;
    for (const row of eligible) {
      const input = signalInputOf(row);
      const keys = profileKeys(this.#prefix, row.tenant_id);
      const student = row.student_id as string;
      pipeline.lucaApplyEvent(
        keys.realtime(student),
        keys.realtimeSeen(student, input.local_date),
        input.event_id,
        input.local_date,
        input.school_day_index,
        input.is_school_day ? 1 : 0,
        Math.round(input.active_seconds * 1000),
        input.occurred_at,
        now,
        seenTtl,
        hashTtl,
      );
    }
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([err]) => err);
    if (failed) throw failed[0];
    const applied = replies.filter(([, reply]) => Number(reply) === 1).length;

    return {
      applied,
      duplicates: eligible.length - applied,
      skipped: rows.length - eligible.length,
    };
  }

  #record(read: number, counts: BatchCounts, cursor: number): void {
    const { applied, duplicates, skipped } = counts;
    this.#stats.cursor = cursor;
    this.#stats.read += read;
    this.#stats.applied += applied;
    this.#stats.duplicates += duplicates;
    this.#stats.skipped += skipped;
    this.#options.logger?.info(
      { job: 'realtime', cursor, rows_in: read, applied, duplicates, skipped },
      'realtime batch applied',
    );
  }
}
