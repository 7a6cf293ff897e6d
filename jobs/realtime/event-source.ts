import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pendingColumns, type SequencedEvent } from '../../pipelines/index.js';

/**
 * Where the real-time consumer reads newly ingested events from: every event
 * with a sequence number above `cursor`, in order. The landing buffer assigns
 * the sequence numbers.
 */
export interface RealtimeEventSource {
  readAfter(cursor: number, limit: number): Promise<SequencedEvent[]> | SequencedEvent[];
  /**
   * The highest sequence number the buffer has handed out, landed or not (0
   * when none): with an empty `readAfter`, a number above the cursor means
   * rows left the buffer unseen. A source without it finds a gap only when
   * the next row arrives.
   */
  lastSeq?(): Promise<number> | number;
  close?(): void;
}

const columns = ['seq', ...pendingColumns].join(', ');

/**
 * Reads the local landing buffer's pending rows through a read-only SQLite
 * connection (WAL lets it read while the ingest API writes).
 *
 * The buffer's interface has no "read after sequence N" yet, so this adapter
 * reads its `pending_events` table directly; it is the one place to change
 * when the buffer exports such a method. Rows the lander has already drained
 * are gone from that table: if the consumer falls behind the lander, it
 * finds the gap (the first row's number, or `lastSeq` from SQLite's
 * AUTOINCREMENT record when no row waits) and catches up from the lake.
 */
export function sqliteBufferSource(bufferDir: string): RealtimeEventSource {
  const file = join(bufferDir, 'landing.sqlite');
  let db: Database.Database | null = null;
  let rowsAfter: Database.Statement | null = null;
  let lastSeq: Database.Statement | null = null;
  const open = (): boolean => {
    if (db) return true;
    if (!existsSync(file)) return false;
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    rowsAfter = db.prepare(
      `select ${columns} from pending_events where seq > ? order by seq limit ?`,
    );
    // AUTOINCREMENT keeps the highest number ever given out, even once its row is deleted.
    lastSeq = db.prepare("select seq from sqlite_sequence where name = 'pending_events'").pluck();

    return true;
  };

  return {
    readAfter(cursor, limit) {
      return open() ? (rowsAfter?.all(cursor, limit) as SequencedEvent[]) : [];
    },
    lastSeq() {
      return open() ? Number(lastSeq?.get() ?? 0) : 0;
    },
    close() {
      db?.close();
      db = null;
    },
  };
}
