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
 * are gone from that table: if the consumer falls behind the lander, those
 * events skip the real-time path (the batch features still count them), and
 * the consumer logs the gap.
 */
export function sqliteBufferSource(bufferDir: string): RealtimeEventSource {
  const file = join(bufferDir, 'landing.sqlite');
  let db: Database.Database | null = null;
  let statement: Database.Statement | null = null;

  return {
    readAfter(cursor, limit) {
      if (!db) {
        if (!existsSync(file)) return [];
        db = new Database(file, { readonly: true, fileMustExist: true });
        db.pragma('busy_timeout = 5000');
        statement = db.prepare(
          `select ${columns} from pending_events where seq > ? order by seq limit ?`,
        );
      }

      return statement?.all(cursor, limit) as SequencedEvent[];
    },
    close() {
      db?.close();
      db = null;
    },
  };
}
