import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type AuditEntry, type AuditRow, auditColumns, chainEntry, genesisHash } from './chain.js';
import { auditErrors } from './errors.js';
import {
  type GroupWriter,
  openInlineWriter,
  openWorkerWriter,
  type WriterMode,
} from './group-writers.js';
import type { DataSync } from './wal-sync.js';

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

interface Group {
  rows: AuditRow[];
  waiters: Waiter[];
}

/** Observes each group commit: how many rows and how long it took (seconds). */
export type GroupTimer = (rows: number, seconds: number) => void;

/** The most rows waiting before appends are refused (fail closed under a stuck disk). */
const maxPendingRows = 20_000;

/**
 * Groups the inline writer may have syncing at once. A group committed after
 * another is synced by its own `fdatasync`, which also covers every frame
 * written before it, so each group resolves on its own sync, in any order.
 * With one at a time, a busy event loop noticing each sync late made the
 * sync chain the read path's throughput limit.
 */
const maxSyncingGroups = 4;

/**
 * The durable, hash-chained audit log of reads, kept in SQLite at
 * `<data-dir>/state/audit.db`. `append` resolves only once the rows are
 * committed with an fsync. Appends that arrive while a commit is in flight
 * wait and go together in the next one (group commit). Any failure turns the
 * log unavailable: appends reject with `AUDIT_ERR_UNAVAILABLE` (reads fail
 * closed) until the log is opened again.
 *
 * @example
 * const audit = await AuditLog.open(join(paths.state, 'audit.db'));
 * await audit.append([entry]);
 */
export class AuditLog {
  readonly #writer: GroupWriter;
  #head: { seq: number; hash: string };
  #pending: Group | undefined;
  /** Groups handed to the writer and not yet durable, oldest first. */
  readonly #inFlight = new Set<Group>();
  readonly #maxInFlight: number;
  #failure: Error | undefined;
  #timer: GroupTimer | undefined;
  #closed = false;

  private constructor(writer: GroupWriter, timer: GroupTimer | undefined, maxInFlight: number) {
    this.#writer = writer;
    this.#maxInFlight = maxInFlight;
    this.#head = { seq: writer.head.seq, hash: writer.head.hash ?? genesisHash };
    this.#timer = timer;
    writer.onFailure((err) => this.#fail(err));
  }

  /**
   * Opens (or creates) the log at `path` and resumes its chain. `writer`
   * chooses where commits run (default `inline`, see ADR 0037); `dataSync`
   * replaces the inline writer's `fs.fdatasync` (tests).
   */
  static async open(
    path: string,
    options: { timer?: GroupTimer; writer?: WriterMode; dataSync?: DataSync } = {},
  ): Promise<AuditLog> {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      const writer =
        options.writer === 'worker'
          ? await openWorkerWriter(path, auditColumns)
          : openInlineWriter(path, auditColumns, { dataSync: options.dataSync });

      // The inline writer commits in order on the event loop and syncs in the
      // thread pool, so several groups may be syncing at once (ADR 0072); the
      // worker takes one group at a time.
      return new AuditLog(
        writer,
        options.timer,
        options.writer === 'worker' ? 1 : maxSyncingGroups,
      );
    } catch (cause) {
      throw auditErrors.create('AUDIT_ERR_UNAVAILABLE', `Cannot open ${path}.`, { cause });
    }
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
    while ((this.#pending || this.#inFlight.size > 0) && !this.#failure) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Waits for queued rows, then stops the writer; the log is unavailable after. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.drain();
    this.#fail(new Error('audit log closed'));
    await this.#writer.close();
  }

  #startGroup(): Group {
    const group: Group = { rows: [], waiters: [] };
    this.#pending = group;
    // Appends made in the same tick join this group; it leaves on the next turn.
    setImmediate(() => this.#flush());

    return group;
  }

  #flush(): void {
    const group = this.#pending;
    if (this.#inFlight.size >= this.#maxInFlight || !group || this.#failure) return;
    this.#inFlight.add(group);
    this.#pending = undefined;
    const started = performance.now();
    this.#writer.write(group.rows).then(
      () => {
        this.#inFlight.delete(group);
        this.#timer?.(group.rows.length, (performance.now() - started) / 1000);
        for (const waiter of group.waiters) waiter.resolve();
        this.#flush();
      },
      (err: Error) => this.#fail(err),
    );
  }

  #queuedRows(): number {
    let rows = this.#pending?.rows.length ?? 0;
    for (const group of this.#inFlight) rows += group.rows.length;

    return rows;
  }

  #fail(cause: Error): void {
    if (this.#failure) return;
    this.#failure = cause;
    for (const group of [...this.#inFlight, this.#pending]) {
      for (const waiter of group?.waiters ?? []) waiter.reject(this.#unavailable(cause));
    }
    this.#inFlight.clear();
    this.#pending = undefined;
  }

  #unavailable(cause: Error): Error {
    return auditErrors.create('AUDIT_ERR_UNAVAILABLE', 'Audit log unavailable; retry later.', {
      cause,
      details: { retry_after_seconds: 5 },
    });
  }
}
