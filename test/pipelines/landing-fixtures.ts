import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataPaths } from '../../core/index.js';
import { type LandingBuffer, SqliteLandingBuffer } from '../../pipelines/index.js';
import { removeDataDir, tempDataPaths } from './ingest-fixtures.js';

/** A lander test's data directory and its open buffer. */
export interface LandingDir {
  paths: DataPaths;
  buffer: SqliteLandingBuffer;
}

/** A fresh data directory with its landing buffer open (pair with `closeLandingDir`). */
export function openLandingDir(prefix: string): LandingDir {
  const paths = tempDataPaths(prefix);

  return { paths, buffer: new SqliteLandingBuffer({ dir: paths.buffer }) };
}

export function closeLandingDir({ paths, buffer }: LandingDir): void {
  buffer.close();
  removeDataDir(paths);
}

/** Every Parquet file below `dir`, sorted (none when `dir` does not exist). */
export function parquetFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];

  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.parquet'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * The buffer as a lander killed between publishing and `complete` sees it:
 * every call goes through, `complete` throws, `close` leaves the buffer open.
 */
export function crashingBeforeComplete(buffer: LandingBuffer): LandingBuffer {
  return {
    append: (events) => buffer.append(events),
    depth: () => buffer.depth(),
    stats: () => buffer.stats(),
    claim: (maxRows) => buffer.claim(maxRows),
    read: (claim) => buffer.read(claim),
    exportJsonLines: (claim, fileOf) => buffer.exportJsonLines(claim, fileOf),
    complete: () => {
      throw new Error('killed before complete');
    },
    pruneDedup: (before) => buffer.pruneDedup(before),
    close: () => {},
  };
}
