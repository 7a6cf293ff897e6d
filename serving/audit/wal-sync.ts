import { closeSync, fdatasync, fstatSync, fsyncSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Flushes a file descriptor's data to disk, calling back once done (`fs.fdatasync`). */
export type DataSync = (fd: number, done: (err: Error | null) => void) => void;

/** An open handle on a SQLite WAL file whose commits the caller makes durable. */
export interface WalSync {
  /** Resolves once everything written to the WAL so far is on disk. */
  sync(): Promise<void>;
  close(): void;
}

/**
 * Opens the WAL file at `walPath` for `fdatasync`. The sync runs in libuv's
 * thread pool, so the event loop keeps serving while the disk flushes; only
 * the promise's settlement comes back to it. Before each sync the handle
 * checks that the path still names the inode it holds (SQLite recreates the
 * WAL only when the last connection closes, but a sync of a stale inode would
 * silently make nothing durable) and reopens it if not. The directory is
 * synced once on open, so the WAL file's own entry is durable too.
 */
export function openWalSync(walPath: string, dataSync: DataSync = fdatasync): WalSync {
  syncDirectory(dirname(walPath));
  let fd = openSync(walPath, 'r+');
  let inode = fstatSync(fd).ino;

  const current = (): number => {
    // One stat per group: the descriptor's own inode never changes, so only the path is checked.
    if (statSync(walPath).ino !== inode) {
      closeSync(fd);
      fd = openSync(walPath, 'r+');
      inode = fstatSync(fd).ino;
    }

    return fd;
  };

  return {
    sync: () =>
      new Promise<void>((resolve, reject) => {
        dataSync(current(), (err) => (err ? reject(err) : resolve()));
      }),
    close: () => closeSync(fd),
  };
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
