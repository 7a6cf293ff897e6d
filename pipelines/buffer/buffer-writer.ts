import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ingestErrors } from '../ingest/errors.js';
import {
  createGroupWriter,
  type EncodedGroup,
  type GroupWriterStatements,
  openBufferDatabase,
} from './append-group.mjs';
import type { AppendStatus } from './landing-buffer.js';
import { pendingColumns } from './sqlite-schema.js';

/** Writes one group of rows durably; the two implementations differ only in the thread. */
export interface BufferWriter {
  /** One group from `encodeGroup` (`pendingColumns.length` values per row). */
  write(group: EncodedGroup): Promise<AppendStatus[]> | AppendStatus[];
  close(): void;
}

/** `student_id` may be null: the one-string group writes null as the empty string. */
const pendingValue = (column: string) => (column === 'student_id' ? "nullif(?, '')" : '?');

export const writerStatements: GroupWriterStatements = {
  insertSeenUuidSql: `insert or ignore into seen_event_ids (event_key, tenant_id, seen_at)
      values (unhex(replace(?, '-', '')), ?, ?)`,
  insertSeenTextSql:
    'insert or ignore into seen_event_ids (event_key, tenant_id, seen_at) values (?, ?, ?)',
  insertPendingSql: `insert into pending_events (${pendingColumns.join(', ')})
      values (${pendingColumns.map(pendingValue).join(', ')})`,
  tenantIndex: pendingColumns.indexOf('tenant_id'),
  eventIdIndex: pendingColumns.indexOf('event_id'),
  columnCount: pendingColumns.length,
};

function unavailable(cause: unknown) {
  return ingestErrors.create('BUFFER_ERR_UNAVAILABLE', 'The landing buffer could not commit.', {
    cause,
    details: { retry_after_seconds: 1 },
  });
}

/** Writes on the calling thread (tools, tests, `luca land`). */
export function inlineWriter(file: string, busyTimeoutMs: number): BufferWriter {
  const db = openBufferDatabase(Database, file, busyTimeoutMs);
  const writeGroup = createGroupWriter(db, writerStatements);

  return {
    write(group) {
      try {
        return writeGroup(group);
      } catch (cause) {
        throw unavailable(cause);
      }
    },
    close: () => db.close(),
  };
}

interface Reply {
  id: number;
  statuses?: AppendStatus[];
  error?: string;
}

/**
 * Writes on a worker thread (the API server): SQLite's inserts and fsyncs run
 * there while the HTTP thread parses and validates the next requests.
 */
export function threadWriter(file: string, busyTimeoutMs: number): BufferWriter {
  const worker = new Worker(new URL('./append-worker.mjs', import.meta.url), {
    workerData: { file, busyTimeoutMs, statements: writerStatements },
  });
  worker.unref();
  const waiting = new Map<number, { resolve(s: AppendStatus[]): void; reject(e: unknown): void }>();
  let nextId = 0;
  const failAll = (cause: unknown) => {
    for (const waiter of waiting.values()) waiter.reject(unavailable(cause));
    waiting.clear();
  };
  worker.on('message', (reply: Reply) => {
    const waiter = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.statuses) waiter?.resolve(reply.statuses);
    else waiter?.reject(unavailable(new Error(reply.error)));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`buffer writer exited with ${code}`)));

  return {
    write(group) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, group });
      });
    },
    close() {
      void worker.terminate();
    },
  };
}
