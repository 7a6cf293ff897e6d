import { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/index.js';
import type { LanderLoop } from './lander-loop.js';

/** What the lander thread needs: plain data, since it crosses to a worker. */
export interface LanderThreadSettings {
  /** The buffer's directory (`<data-dir>/buffer`). */
  bufferDir: string;
  lakeRoot: string;
  logLevel: string;
  minRows?: number;
  maxAgeMs?: number;
  maxRowsPerDrain?: number;
}

export interface LanderThreadOptions extends LanderThreadSettings {
  logger: Logger;
}

const restartDelayMs = 1000;

/**
 * Runs the lander loop (`startLanderLoop`) on a worker thread with its own
 * buffer connection, so landing uses the second core instead of the API's
 * thread. A thread that dies is logged and started again; its claim is
 * durable, so the next one resumes it. Resolves once the first thread runs.
 */
export async function startLanderThread(options: LanderThreadOptions): Promise<LanderLoop> {
  const { logger, ...settings } = options;
  let isStopping = false;
  let worker: Worker | undefined;
  let exited: Promise<void> = Promise.resolve();

  function start(): Promise<void> {
    const thread = new Worker(new URL('./lander-worker-entry.mjs', import.meta.url), {
      workerData: settings,
    });
    worker = thread;
    exited = new Promise((resolve) => thread.once('exit', () => resolve()));
    thread.on('error', (err) => logger.error({ err }, 'lander thread failed'));
    thread.once('exit', (code) => {
      worker = undefined;
      if (isStopping) return;
      logger.error({ exit_code: code }, 'lander thread exited; restarting');
      setTimeout(() => void start().catch(() => undefined), restartDelayMs).unref();
    });

    return new Promise((resolve, reject) => {
      thread.once('message', () => resolve());
      thread.once('exit', (code) => reject(new Error(`lander thread exited with ${code}`)));
    });
  }

  await start();

  return {
    async stop() {
      isStopping = true;
      worker?.postMessage({ type: 'stop' });
      await exited;
    },
  };
}
