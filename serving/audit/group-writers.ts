import { Worker } from 'node:worker_threads';
import type { AuditRow } from './chain.js';
import { openAuditStore } from './sqlite-audit-store.mjs';
import { type DataSync, openWalSync } from './wal-sync.js';

/** Writes groups of chained rows durably, one transaction (one fsync) per group. */
export interface GroupWriter {
  /** The last stored row when the writer opened. */
  readonly head: { seq: number; hash: string | null };
  /** Resolves once the group is committed; rejects if it could not be. */
  write(rows: readonly AuditRow[]): Promise<void>;
  /** Called once if the writer dies between writes (a worker that exits). */
  onFailure(listener: (err: Error) => void): void;
  close(): Promise<void>;
}

/** Where the commit runs: on the event loop (`inline`) or in a worker thread. */
export type WriterMode = 'inline' | 'worker';

/**
 * Commits on the calling thread into the page cache (synchronous=NORMAL), then
 * makes the group durable with an `fdatasync` of the WAL file in libuv's
 * thread pool: the event loop is blocked only for the inserts, not for the
 * disk, and no rows cross a thread boundary (ADR 0072). `write` resolves only
 * after that sync, so a group is as durable as with synchronous=FULL.
 */
export function openInlineWriter(
  path: string,
  columns: readonly string[],
  options: { dataSync?: DataSync | undefined } = {},
): GroupWriter {
  const store = openAuditStore(path, columns, { syncs: 'caller' });
  const wal = openWalSync(store.walPath, options.dataSync);

  return {
    head: store.head,
    write: async (rows) => {
      store.writeGroup(rows as unknown as Record<string, unknown>[]);
      await wal.sync();
    },
    onFailure: () => undefined,
    close: async () => {
      wal.close();
      store.close();
    },
  };
}

/** Commits in a worker thread: the event loop never waits on the disk. */
export async function openWorkerWriter(
  path: string,
  columns: readonly string[],
): Promise<GroupWriter> {
  const worker = new Worker(new URL('./sqlite-writer.worker.mjs', import.meta.url), {
    workerData: { path, columns },
  });
  const head = await new Promise<{ seq: number; hash: string | null }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve(): void; reject(err: Error): void }>();
  const failAll = (err: Error) => {
    for (const waiter of waiting.values()) waiter.reject(err);
    waiting.clear();
  };
  worker.on('message', (message: { type: string; id: number; message?: string }) => {
    const waiter = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.type === 'written') waiter?.resolve();
    else waiter?.reject(new Error(message.message ?? 'audit write failed'));
  });
  worker.on('error', failAll);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  return {
    head,
    write: (rows) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ type: 'append', id, rows });
      }),
    onFailure: (listener) => {
      worker.on('exit', () => {
        failAll(new Error('audit writer exited'));
        listener(new Error('audit writer exited'));
      });
    },
    close: async () => {
      worker.postMessage({ type: 'close' });
      await exited;
    },
  };
}
