import type { Redis } from 'ioredis';
import { ErasureRegisterCache, type Logger } from '../../core/index.js';
import { RealtimeConsumer, type RealtimeStats } from './consumer.js';
import { sqliteBufferSource } from './event-source.js';
import { lakeBackfill } from './lake-backfill.js';

export interface StartRealtimeOptions {
  /** The landing buffer directory (`paths.buffer`). */
  bufferDir: string;
  /** The lake root (`paths.lake`): where a catch-up reads landed events back from. */
  lakeRoot: string;
  redis: Redis;
  keyPrefix?: string;
  pollMs?: number;
  logger?: Logger;
}

/** A running consumer and how to stop it. */
export interface RunningRealtime {
  readonly consumer: RealtimeConsumer;
  /** Stops polling, closes the buffer connection, returns the final counts. */
  stop(): Promise<RealtimeStats>;
}

/**
 * Starts the real-time consumer on a local data directory: new events from
 * the landing buffer, and a catch-up from the lake's raw Parquet for what
 * landed while it was stopped or behind.
 *
 * @example
 * const realtime = startRealtime({ bufferDir: paths.buffer, lakeRoot: paths.lake, redis });
 * // ... ingest events ...
 * const stats = await realtime.stop();
 */
export function startRealtime(options: StartRealtimeOptions): RunningRealtime {
  const source = sqliteBufferSource(options.bufferDir);
  const erasures = new ErasureRegisterCache(options.lakeRoot);
  const consumer = new RealtimeConsumer({
    source,
    backfill: lakeBackfill(options.lakeRoot, { erasures }),
    erasures,
    redis: options.redis,
    keyPrefix: options.keyPrefix,
    pollMs: options.pollMs,
    logger: options.logger,
  });
  consumer.start();

  return {
    consumer,
    async stop() {
      await consumer.stop();
      source.close?.();

      return consumer.stats();
    },
  };
}
