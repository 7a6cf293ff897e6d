import { closeSync, fsyncSync, openSync } from 'node:fs';

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
