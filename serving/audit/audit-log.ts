import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type AuditEntry, type AuditRow, auditColumns, chainEntry, genesisHash } from './chain.js';
import { auditErrors } from './errors.js';

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

interface Group {
  id: number;
  rows: AuditRow[];
  waiters: Waiter[];
}

/** Observes each group commit: how many rows and how long it took (seconds). */
export type GroupTimer = (rows: number, seconds: number) => void;

/** The most rows waiting before appends are refused (fail closed under a stuck disk). */
const maxPendingRows = 20_000;

/**
 * The durable, hash-chained audit log of reads, kept in SQLite at
 * `<data-dir>/state/audit.db`. `append` resolves only once the rows are
 * committed with an fsync. Appends that arrive while a commit is in flight
 * wait and go together in the next one (group commit), written by a worker
 * thread so the event loop never blocks on the disk. Any failure turns the
 * log unavailable: appends reject with `AUDIT_ERR_UNAVAILABLE` (reads fail
 * closed) until `open` is called again.
 *
 * @example
 * const audit = await AuditLog.open(join(paths.state, 'audit.db'));
 * await audit.append([entry]);
 */
export class AuditLog {
  readonly #worker: Worker;
  #head: { seq: number; hash: string };
  #pending: Group | undefined;
  #inFlight: Group | undefined;
  #nextId = 1;
  #failure: Error | undefined;
  #timer: GroupTimer | undefined;
  #flushStarted = 0;
  #exited = false;

  private constructor(worker: Worker, head: { seq: number; hash: string }) {
    this.#worker = worker;
    this.#head = head;
    worker.on('message', (message) => this.#onMessage(message));
    worker.on('error', (err) => this.#fail(err));
    worker.on('exit', () => {
      this.#exited = true;
      this.#fail(new Error('audit writer exited'));
    });
  }

  /** Opens (or creates) the log at `path` and resumes its chain. */
  static async open(path: string, options: { timer?: GroupTimer } = {}): Promise<AuditLog> {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const worker = new Worker(new URL('./sqlite-writer.worker.mjs', import.meta.url), {
      workerData: { path, columns: auditColumns },
    });
    const head = await new Promise<{ seq: number; hash: string | null }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', (cause) =>
        reject(auditErrors.create('AUDIT_ERR_UNAVAILABLE', `Cannot open ${path}.`, { cause })),
      );
    });
    const log = new AuditLog(worker, { seq: head.seq, hash: head.hash ?? genesisHash });
    log.#timer = options.timer;

    return log;
  }

  /** True while appends can succeed (what `/readyz` reports). */
  get isAvailable(): boolean {
    return this.#failure === undefined;
  }

  /** The sequence number of the last chained record. */
  get headSeq(): number {
    return this.#head.seq;
  }

  /** Chains the entries and resolves once they are durably on disk. */
  append(entries: readonly AuditEntry[]): Promise<void> {
    if (this.#failure) return Promise.reject(this.#unavailable(this.#failure));
    if (this.#queuedRows() + entries.length > maxPendingRows) {
      return Promise.reject(this.#unavailable(new Error('audit queue full')));
    }
    const group = this.#pending ?? this.#startGroup();
    const recordedAt = new Date().toISOString();
    for (const entry of entries) {
      const row = chainEntry(entry, this.#head, recordedAt);
      this.#head = { seq: row.seq, hash: row.hash };
      group.rows.push(row);
    }

    return new Promise((resolve, reject) => group.waiters.push({ resolve, reject }));
  }

  /** Resolves once every row appended so far is on disk (or the log failed). */
  async drain(): Promise<void> {
    while ((this.#pending || this.#inFlight) && !this.#failure) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Waits for queued rows, then stops the writer. */
  async close(): Promise<void> {
    if (this.#exited) return;
    while (this.#pending || this.#inFlight) await new Promise((r) => setTimeout(r, 5));
    const exited = new Promise((resolve) => this.#worker.once('exit', resolve));
    this.#worker.postMessage({ type: 'close' });
    await exited;
  }

  #startGroup(): Group {
    const group: Group = { id: this.#nextId++, rows: [], waiters: [] };
    this.#pending = group;
    // Appends made in the same tick join this group; it leaves on the next turn.
    setImmediate(() => this.#flush());

    return group;
  }

  #flush(): void {
    if (this.#inFlight || !this.#pending || this.#failure) return;
    this.#inFlight = this.#pending;
    this.#pending = undefined;
    this.#flushStarted = performance.now();
    this.#worker.postMessage({ type: 'append', id: this.#inFlight.id, rows: this.#inFlight.rows });
  }

  #onMessage(message: { type: string; id?: number; message?: string }): void {
    const group = this.#inFlight;
    if (!group || message.id !== group.id) return;
    this.#inFlight = undefined;
    if (message.type === 'failed') {
      const err = new Error(message.message ?? 'audit write failed');
      for (const waiter of group.waiters) waiter.reject(this.#unavailable(err));
      this.#fail(err);
      return;
    }
    this.#timer?.(group.rows.length, (performance.now() - this.#flushStarted) / 1000);
    for (const waiter of group.waiters) waiter.resolve();
    this.#flush();
  }

  #queuedRows(): number {
    return (this.#pending?.rows.length ?? 0) + (this.#inFlight?.rows.length ?? 0);
  }

  #fail(cause: Error): void {
    if (this.#failure) return;
    this.#failure = cause;
    for (const group of [this.#inFlight, this.#pending]) {
      for (const waiter of group?.waiters ?? []) waiter.reject(this.#unavailable(cause));
    }
    this.#inFlight = undefined;
    this.#pending = undefined;
  }

  #unavailable(cause: Error): Error {
    return auditErrors.create('AUDIT_ERR_UNAVAILABLE', 'Audit log unavailable; retry later.', {
      cause,
      details: { retry_after_seconds: 5 },
    });
  }
}
