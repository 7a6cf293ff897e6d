import type { Redis } from 'ioredis';
import type { Logger } from '../../core/index.js';
import { RealtimeConsumer, type RealtimeStats } from './consumer.js';
import { sqliteBufferSource } from './event-source.js';

export interface StartRealtimeOptions {
  /** The landing buffer directory (`paths.buffer`). */
  bufferDir: string;
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
 * Starts the real-time consumer on a local data directory's landing buffer.
 *
 * @example
 * const realtime = startRealtime({ bufferDir: paths.buffer, redis });
 * // ... ingest events ...
 * const stats = await realtime.stop();
 */
export function startRealtime(options: StartRealtimeOptions): RunningRealtime {
  const source = sqliteBufferSource(options.bufferDir);
  const consumer = new RealtimeConsumer({
    source,
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
