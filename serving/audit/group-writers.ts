import { Worker } from 'node:worker_threads';
import type { AuditRow } from './chain.js';
import { openAuditStore } from './sqlite-audit-store.mjs';

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
 * Commits on the calling thread. The event loop blocks for the commit (0.3-0.5
 * ms on a quiet disk), but no thread hand-off is paid, which on a CPU-starved
 * host costs more than the fsync itself (docs/audit.md).
 */
export function openInlineWriter(path: string, columns: readonly string[]): GroupWriter {
  const store = openAuditStore(path, columns);

  return {
    head: store.head,
    write: async (rows) => store.writeGroup(rows as unknown as Record<string, unknown>[]),
    onFailure: () => undefined,
    close: async () => store.close(),
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
