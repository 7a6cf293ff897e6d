import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type EventFamily, eventFamilies } from '../../core/index.js';
import { type BufferWriter, inlineWriter, threadWriter } from './buffer-writer.js';
import type {
  AppendStatus,
  BufferedEvent,
  BufferStats,
  DrainClaim,
  LandingBuffer,
  RangeExport,
  SequencedEvent,
} from './landing-buffer.js';
import { GroupCommitter } from './group-commit.js';
import {
  bufferSchema,
  migrateSeenEventsSql,
  pendingColumns,
  pruneDedupSql,
  uuidTimePrefix,
} from './sqlite-schema.js';
import { type BufferRowValues, openBufferDatabase } from './append-group.mjs';

export interface SqliteBufferOptions {
  /** Directory of the buffer (`<data-dir>/buffer`); the file is `landing.sqlite`. */
  dir: string;
  /** How long a write waits for another process holding the lock (`luca land`). */
  busyTimeoutMs?: number;
  /**
   * Commit appends on a worker thread (the API server does: HTTP parsing and
   * validation go on while SQLite fsyncs). Default false: the calling thread.
   */
  isThreaded?: boolean;
}

type Statement = Database.Statement;

/** Sequence numbers per slice of `exportJsonLines` (one SQLite query, then a yield). */
const exportSliceRows = 5000;

/**
 * One slice of a claimed range as JSON lines, built by SQLite: for each family
 * in `eventFamilies` order, its row count and its lines (a blob, so the text
 * reaches the file without a round trip through a JS string). One scan of the
 * slice, each row's object built once.
 */
const exportSliceSql = `
    with lines as (
        select
            family,
            json_object('seq', seq, ${pendingColumns.map((c) => `'${c}', ${c}`).join(', ')}) as line
        from pending_events
        where seq between ? and ?
        order by seq
    )
    select
        ${eventFamilies
          .map(
            (family) => `count(*) filter (where family = '${family}'),
        cast(group_concat(line, char(10)) filter (where family = '${family}') as blob)`,
          )
          .join(',\n        ')}
    from lines`;

/**
 * The rows' column values in `pendingColumns` order, row after row, in one
 * array. Named property reads: a loop over the column names made every read a
 * megamorphic keyed load.
 */
function flatValues(events: readonly BufferedEvent[]): BufferRowValues {
  const values: BufferRowValues = [];
  for (const e of events) {
    values.push(e.family, e.tenant_id, e.event_date, e.event_id, e.event_type, e.schema_version);
    values.push(e.occurred_at, e.received_at, e.actor_id, e.actor_role, e.student_id);
    values.push(e.trace_id, e.payload);
  }

  return values;
}

/**
 * Runs the one-time move of a pre-0075 dedup table, if the file has one. The
 * look is a plain read, so opening a migrated file takes no write lock.
 */
function migrateSeenEvents(db: Database.Database): void {
  const hasLegacy = db.prepare(
    "select count(*) from sqlite_master where type = 'table' and name = 'seen_events'",
  );
  if (hasLegacy.pluck().get() === 0) return;
  const migrate = db.transaction(() => {
    if (hasLegacy.pluck().get() !== 0) db.exec(migrateSeenEventsSql);
  });
  migrate.immediate();
}

/**
 * The local landing buffer: SQLite in WAL mode with `synchronous = FULL`, so a
 * commit returns only after the WAL is fsync'd. Concurrent `append` calls are
 * grouped into one transaction (one fsync per group). Chosen by measurement,
 * see docs/adr/0001-local-landing-buffer.md.
 */
export class SqliteLandingBuffer implements LandingBuffer {
  readonly #db: Database.Database;
  readonly #committer: GroupCommitter<BufferedEvent, AppendStatus>;
  readonly #writer: BufferWriter;
  readonly #firstSeq: Statement;
  readonly #lastSeq: Statement;

  constructor(options: SqliteBufferOptions) {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    const file = join(options.dir, 'landing.sqlite');
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.#db = openBufferDatabase(Database, file, busyTimeoutMs);
    this.#db.exec(bufferSchema);
    migrateSeenEvents(this.#db);
    this.#firstSeq = this.#db.prepare('select min(seq) from pending_events').pluck();
    this.#lastSeq = this.#db.prepare('select max(seq) from pending_events').pluck();
    this.#writer = options.isThreaded
      ? threadWriter(file, busyTimeoutMs)
      : inlineWriter(file, busyTimeoutMs);
    this.#committer = new GroupCommitter((events) => this.#writer.write(flatValues(events)));
  }

  append(events: readonly BufferedEvent[]): Promise<AppendStatus[]> {
    return this.#committer.submit(events);
  }

  depth(): number {
    const first = this.#firstSeq.get() as number | null;
    const last = this.#lastSeq.get() as number | null;

    return first === null || last === null ? 0 : last - first + 1;
  }

  stats(): BufferStats {
    const oldest = this.#db
      .prepare('select received_at from pending_events order by seq limit 1')
      .pluck()
      .get() as string | undefined;

    return { depth: this.depth(), oldestReceivedAt: oldest ?? null };
  }

  /**
   * The range a lander has claimed and not completed (running, or left by a
   * crash), without taking a claim; null when there is none. The compaction
   * job leaves alone the partitions holding a file of this range, which a
   * lander may publish again under the same name.
   */
  openClaim(): Pick<DrainClaim, 'firstSeq' | 'lastSeq'> | null {
    const open = this.#db
      .prepare('select first_seq, last_seq from drain_claims where id = 1')
      .raw()
      .get() as [number, number] | undefined;

    return open ? { firstSeq: open[0], lastSeq: open[1] } : null;
  }

  claim(maxRows: number): DrainClaim | null {
    const take = this.#db.transaction((): DrainClaim | null => {
      const open = this.openClaim();
      if (open) return { ...open, isResumed: true };

      const first = this.#firstSeq.get() as number | null;
      if (first === null) return null;
      // At most `maxRows` sequence numbers: a gap (a rolled back write, an
      // erased row) makes the claim hold fewer rows, never more. Counting the
      // rows instead walked the whole range (0.3 µs a row, ADR 0075).
      const last = Math.min(first + Math.max(1, maxRows) - 1, this.#lastSeq.get() as number);
      this.#db
        .prepare(
          'insert into drain_claims (id, first_seq, last_seq, claimed_at) values (1, ?, ?, ?)',
        )
        .run(first, last, Date.now());

      return { firstSeq: first, lastSeq: last, isResumed: false };
    });

    return take.immediate();
  }

  read(claim: DrainClaim): SequencedEvent[] {
    return this.#db
      .prepare(
        `select seq, ${pendingColumns.join(', ')} from pending_events
         where seq between ? and ? order by seq`,
      )
      .all(claim.firstSeq, claim.lastSeq) as SequencedEvent[];
  }

  async exportJsonLines(
    claim: DrainClaim,
    fileOf: (family: EventFamily) => string,
  ): Promise<RangeExport> {
    const slice = this.#db.prepare(exportSliceSql).raw();
    const files = new Map<EventFamily, number>();
    let rows = 0;
    try {
      for (let from = claim.firstSeq; from <= claim.lastSeq; from += exportSliceRows) {
        const to = Math.min(claim.lastSeq, from + exportSliceRows - 1);
        const counts = slice.get(from, to) as (number | Buffer | null)[];
        eventFamilies.forEach((family, i) => {
          const text = counts[2 * i + 1] as Buffer | null;
          if (text === null) return;
          let fd = files.get(family);
          if (fd === undefined) {
            fd = openSync(fileOf(family), 'w');
            files.set(family, fd);
          }
          writeSync(fd, text);
          writeSync(fd, '\n');
          rows += counts[2 * i] as number;
        });
        // Let the thread's other work in between slices.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      for (const fd of files.values()) closeSync(fd);
    }

    return { rows, families: eventFamilies.filter((family) => files.has(family)) };
  }

  complete(claim: DrainClaim): void {
    const finish = this.#db.transaction(() => {
      this.#db
        .prepare('delete from pending_events where seq between ? and ?')
        .run(claim.firstSeq, claim.lastSeq);
      this.#db
        .prepare('delete from drain_claims where id = 1 and first_seq = ? and last_seq = ?')
        .run(claim.firstSeq, claim.lastSeq);
    });
    finish.immediate();
  }

  pruneDedup(before: Date): number {
    return this.#db
      .prepare(pruneDedupSql)
      .run(uuidTimePrefix(before), Math.floor(before.getTime() / 1000)).changes;
  }

  /**
   * Erasure on request: deletes the waiting rows of one tenant that name a
   * pseudonym (as student, actor or inside the payload), audit rows excepted.
   * Returns how many rows left the buffer.
   */
  removeStudentRows(tenantId: string, pseudonym: string): number {
    return this.#db
      .prepare(
        `delete from pending_events where tenant_id = ? and family <> 'audit'
         and (student_id = ? or actor_id = ? or instr(payload, ?) > 0)`,
      )
      .run(tenantId, pseudonym, pseudonym, pseudonym).changes;
  }

  close(): void {
    this.#committer.close();
    this.#writer.close();
    if (this.#db.open) this.#db.close();
  }
}
