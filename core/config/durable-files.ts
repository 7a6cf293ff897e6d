import { closeSync, fsyncSync, openSync, type Stats, statSync } from 'node:fs';

/**
 * fsyncs a file, or a folder: a folder's fsync makes the renames, new files
 * and unlinks in it survive a power cut. Used wherever a step must be on disk
 * before the next one starts (the lander's publish, the compaction's swap).
 */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** What changes when a file is appended to, rewritten or replaced: inode, size, mtime. */
export function statsSignature(stats: Stats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

/** A file's `statsSignature` now, or undefined when it is not there. */
export function fileSignature(path: string): string | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });

  return stats ? statsSignature(stats) : undefined;
}
