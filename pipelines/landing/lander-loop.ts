import type { Logger } from '../../core/index.js';
import type { LandingBuffer } from '../buffer/index.js';
import type { Lander } from './lander.js';

export interface LanderLoopOptions {
  lander: Lander;
  buffer: LandingBuffer;
  logger: Logger;
  /** Drain when this many rows wait (default 20,000). */
  minRows?: number;
  /** ...or when the oldest waiting row is this old (default 5,000 ms). */
  maxAgeMs?: number;
  /** How often to look (default 250 ms). */
  intervalMs?: number;
  /** Dedup ids are kept this long (default 7 days), pruned hourly. */
  dedupRetentionMs?: number;
}

export interface LanderLoop {
  /** Stops after the drain in progress (if any) finishes. */
  stop(): Promise<void>;
}

const hourMs = 3_600_000;

/**
 * Runs the lander in the background of `luca serve`: drains by size or age, as
 * Firehose buffers by size or interval. A failed drain is logged and retried on
 * the next tick; its rows stay in the buffer.
 */
export function startLanderLoop(options: LanderLoopOptions): LanderLoop {
  const { lander, buffer, logger } = options;
  const minRows = options.minRows ?? 20_000;
  const maxAgeMs = options.maxAgeMs ?? 5000;
  const retentionMs = options.dedupRetentionMs ?? 7 * 24 * hourMs;
  let isStopping = false;
  let lastPruneAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  function isDue(): boolean {
    const { depth, oldestReceivedAt } = buffer.stats();
    if (depth === 0) return false;
    if (depth >= minRows) return true;

    return oldestReceivedAt !== null && Date.now() - Date.parse(oldestReceivedAt) >= maxAgeMs;
  }

  async function tick(): Promise<void> {
    try {
      while (!isStopping && isDue()) await lander.drainOnce();
      if (Date.now() - lastPruneAt >= hourMs) {
        lastPruneAt = Date.now();
        const pruned = buffer.pruneDedup(new Date(Date.now() - retentionMs));
        logger.info({ pruned, retention_ms: retentionMs }, 'dedup ids pruned');
      }
    } catch (err) {
      logger.error({ err }, 'drain failed');
    }
    if (!isStopping) timer = setTimeout(schedule, options.intervalMs ?? 250);
  }

  function schedule(): void {
    current = tick();
  }

  schedule();

  return {
    async stop() {
      isStopping = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
