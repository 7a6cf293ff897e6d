import { isLucaError } from '../../core/index.js';
import { type AuditEntry, chainLine } from './chain.js';
import { auditErrors } from './errors.js';
import { importLegacyDatabase } from './legacy-import.js';
import { AuditSegments, type DataSync } from './segment-files.js';

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

interface Group {
  /** The group's lines, in chain order. */
  text: string;
  rows: number;
  waiters: Waiter[];
}

/** Observes each group commit: how many rows and how long it took (seconds). */
export type GroupTimer = (rows: number, seconds: number) => void;

/** The most rows waiting before appends are refused (fail closed under a stuck disk). */
const maxPendingRows = 20_000;

/**
 * Groups that may be syncing at once. Groups are written in chain order on
 * the event loop, and a later group's `fdatasync` also covers every byte
 * written before it to the same file, so each group resolves on its own
 * sync, in any order. With one at a time, a busy event loop noticing each
 * sync late made the sync chain the read path's throughput limit.
 */
const maxSyncingGroups = 4;

/**
 * The shortest time between the starts of two syncs: none by default. The
 * cap on syncing groups already makes groups grow under load, and a 1 ms
 * spacing (a timer, so 1-2 ms in practice) doubled the median read for 5%
 * less CPU per read (ADR 0091's amendment). The option stays for a disk
 * that charges more per sync; the read API does not pass one today.
 */
const defaultSyncIntervalMs = 0;

export interface AuditLogOptions {
  timer?: GroupTimer;
  /** Replaces `fs.fdatasync` (tests). */
  dataSync?: DataSync;
  /** Start a new segment past this size (default 128 MiB). */
  maxSegmentBytes?: number;
  /** Shortest time between two syncs (default 0: each group syncs as soon as a slot is free). */
  syncIntervalMs?: number;
  /**
   * A SQLite audit log of the earlier format (`state/audit.db`): when the
   * directory holds no segment yet, its records are copied into the first
   * one, hashes unchanged, so the chain goes on (ADR 0091).
   */
  legacyDatabase?: string;
}

/**
 * The durable, hash-chained audit log of reads: append-only JSON-lines
 * segments in `<data-dir>/state/audit/` (ADR 0091). `append` resolves only
 * once the rows are on disk (`fdatasync`). Appends that arrive while earlier
 * groups sync go together into the next group (group commit). Any failure
 * turns the log unavailable: appends reject with `AUDIT_ERR_UNAVAILABLE`
 * (reads fail closed) until the log is opened again.
 *
 * @example
 * const audit = await AuditLog.open(join(paths.state, 'audit'));
 * await audit.append([entry]);
 */
export class AuditLog {
  readonly #segments: AuditSegments;
  #head: { seq: number; hash: string };
  #pending: Group | undefined;
  /** Groups written and not yet durable. */
  readonly #inFlight = new Set<Group>();
  #failure: Error | undefined;
  #timer: GroupTimer | undefined;
  #closed = false;
  readonly #syncIntervalMs: number;
  #lastSyncAt = Number.NEGATIVE_INFINITY;
  #spacing: NodeJS.Timeout | undefined;

  private constructor(segments: AuditSegments, options: AuditLogOptions) {
    this.#segments = segments;
    this.#head = segments.head;
    this.#timer = options.timer;
    this.#syncIntervalMs = options.syncIntervalMs ?? defaultSyncIntervalMs;
  }

  /** Opens (or creates) the log in `dir`, cutting off a torn tail, and resumes its chain. */
  static async open(dir: string, options: AuditLogOptions = {}): Promise<AuditLog> {
    try {
      if (options.legacyDatabase) importLegacyDatabase(options.legacyDatabase, dir);
      const segments = AuditSegments.open(dir, {
        ...(options.dataSync ? { dataSync: options.dataSync } : {}),
        ...(options.maxSegmentBytes ? { maxSegmentBytes: options.maxSegmentBytes } : {}),
      });

      return new AuditLog(segments, options);
    } catch (cause) {
      if (isLucaError(cause) && cause.code === 'AUDIT_ERR_SEGMENT_CORRUPT') throw cause;
      throw auditErrors.create('AUDIT_ERR_UNAVAILABLE', `Cannot open the audit log in ${dir}.`, {
        cause,
      });
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
      const chained = chainLine(entry, this.#head, recordedAt);
      this.#head = { seq: chained.seq, hash: chained.hash };
      group.text += chained.line;
      group.rows += 1;
    }

    return new Promise((resolve, reject) => group.waiters.push({ resolve, reject }));
  }

  /** Resolves once every row appended so far is on disk (or the log failed). */
  async drain(): Promise<void> {
    while ((this.#pending || this.#inFlight.size > 0) && !this.#failure) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Waits for queued rows, then closes the files; the log is unavailable after. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.drain();
    clearTimeout(this.#spacing);
    this.#fail(new Error('audit log closed'));
    this.#segments.close();
  }

  #startGroup(): Group {
    const group: Group = { text: '', rows: 0, waiters: [] };
    this.#pending = group;
    // Appends made in the same tick join this group; it leaves on the next turn.
    setImmediate(() => this.#flush());

    return group;
  }

  #flush(): void {
    const group = this.#pending;
    if (!group || this.#failure || this.#inFlight.size >= maxSyncingGroups) return;
    if (this.#isTooSoon()) return;
    // A new segment starts only when nothing syncs on the old one, so a record
    // acknowledged in the new file never depends on an unsynced one in the old.
    if (this.#segments.isFull && this.#inFlight.size > 0) return;
    this.#pending = undefined;
    const started = performance.now();
    try {
      if (this.#segments.isFull) this.#segments.rotate(this.#head.seq - group.rows + 1);
      this.#segments.write(group.text);
    } catch (err) {
      this.#pending = group;
      this.#fail(err as Error);
      return;
    }
    this.#inFlight.add(group);
    this.#lastSyncAt = started;
    this.#segments.sync().then(
      () => {
        this.#inFlight.delete(group);
        this.#timer?.(group.rows, (performance.now() - started) / 1000);
        for (const waiter of group.waiters) waiter.resolve();
        this.#flush();
      },
      (err: Error) => this.#fail(err),
    );
  }

  /** True (and the flush scheduled) while the last sync started less than the interval ago. */
  #isTooSoon(): boolean {
    const wait = this.#lastSyncAt + this.#syncIntervalMs - performance.now();
    if (wait <= 0) return false;
    this.#spacing ??= setTimeout(() => {
      this.#spacing = undefined;
      this.#flush();
    }, wait);

    return true;
  }

  #queuedRows(): number {
    let rows = this.#pending?.rows ?? 0;
    for (const group of this.#inFlight) rows += group.rows;

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
