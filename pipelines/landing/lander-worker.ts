import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../../core/index.js';
import { SqliteLandingBuffer } from '../buffer/index.js';
import { Lander } from './lander.js';
import { startLanderLoop } from './lander-loop.js';
import type { LanderThreadSettings } from './lander-thread.js';

// The lander loop on its own thread, with its own connection to the buffer:
// the claim, SQLite's JSON-lines export, DuckDB and the publishing run here,
// so the API thread only parses, validates and answers.
const settings = workerData as LanderThreadSettings;
const logger = createLogger({ level: settings.logLevel, base: { component: 'lander' } });
const buffer = new SqliteLandingBuffer({ dir: settings.bufferDir });
const lander = await Lander.open({
  buffer,
  lakeRoot: settings.lakeRoot,
  logger,
  maxRowsPerDrain: settings.maxRowsPerDrain,
});
const loop = startLanderLoop({
  lander,
  buffer,
  logger,
  minRows: settings.minRows,
  maxAgeMs: settings.maxAgeMs,
});

parentPort?.on('message', async (message: { type: 'stop' }) => {
  if (message.type !== 'stop') return;
  await loop.stop();
  lander.close();
  buffer.close();
  // Ends this thread only; the API's thread is waiting for its exit.
  process.exit(0);
});
parentPort?.postMessage({ type: 'started' });
