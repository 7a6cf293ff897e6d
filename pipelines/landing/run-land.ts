import type { DataPaths, Logger } from '../../core/index.js';
import { SqliteLandingBuffer } from '../buffer/index.js';
import { type DrainResult, Lander, type LandSummary } from './lander.js';

export interface RunLandOptions {
  paths: DataPaths;
  logger: Logger;
  maxRowsPerDrain?: number;
  threads?: number;
  onDrain?: (result: DrainResult) => void;
}

/**
 * Drains the local buffer into the lake and returns the totals: what
 * `luca land` runs, and what the demo calls.
 *
 * @example
 * const summary = await runLand({ paths: ensureDataPaths(), logger });
 * console.log(`${summary.rowsOut} rows in ${summary.files} files`);
 */
export async function runLand(options: RunLandOptions): Promise<LandSummary> {
  const buffer = new SqliteLandingBuffer({ dir: options.paths.buffer });
  try {
    const lander = await Lander.open({
      buffer,
      lakeRoot: options.paths.lake,
      logger: options.logger,
      maxRowsPerDrain: options.maxRowsPerDrain,
      threads: options.threads,
    });
    try {
      return await lander.drainAll(options.onDrain);
    } finally {
      lander.close();
    }
  } finally {
    buffer.close();
  }
}
