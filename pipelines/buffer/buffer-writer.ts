import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ingestErrors } from '../ingest/errors.js';
import {
  type BufferRowValues,
  createGroupWriter,
  encodeGroup,
  type GroupWriterStatements,
  openBufferDatabase,
} from './append-group.mjs';
import type { AppendStatus } from './landing-buffer.js';
import { pendingColumns } from './sqlite-schema.js';

/** Writes one group of rows durably; the two implementations differ only in the thread. */
export interface BufferWriter {
  /** One group as a flat array of values (`pendingColumns.length` per row). */
  write(values: BufferRowValues): Promise<AppendStatus[]> | AppendStatus[];
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
    write(values) {
      try {
        // An array always decodes, so the writer never answers null here.
        return writeGroup(values) ?? [];
      } catch (cause) {
        throw unavailable(cause);
      }
    },
    close: () => db.close(),
  };
}

interface Reply {
  id: number;
  /** Null when the encoded group did not split back into its values: send the array. */
  statuses?: AppendStatus[] | null;
  error?: string;
}

interface Waiter {
  readonly values: BufferRowValues;
  resolve(statuses: AppendStatus[]): void;
  reject(err: unknown): void;
}

/**
 * Writes on a worker thread (the API server): SQLite's inserts and fsyncs run
 * there while the HTTP thread parses and validates the next requests. A group
 * crosses as one string (`encodeGroup`); the rare group the writer cannot
 * split back (a value holding U+0000) is sent again as the array.
 */
export function threadWriter(file: string, busyTimeoutMs: number): BufferWriter {
  const worker = new Worker(new URL('./append-worker.mjs', import.meta.url), {
    workerData: { file, busyTimeoutMs, statements: writerStatements },
  });
  worker.unref();
  const waiting = new Map<number, Waiter>();
  let nextId = 0;
  const failAll = (cause: unknown) => {
    for (const waiter of waiting.values()) waiter.reject(unavailable(cause));
    waiting.clear();
  };
  worker.on('message', (reply: Reply) => {
    const waiter = waiting.get(reply.id);
    if (!waiter) return;
    if (reply.statuses === null) {
      worker.postMessage({ id: reply.id, group: waiter.values });
      return;
    }
    waiting.delete(reply.id);
    if (reply.statuses) waiter.resolve(reply.statuses);
    else waiter.reject(unavailable(new Error(reply.error)));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`buffer writer exited with ${code}`)));

  return {
    write(values) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { values, resolve, reject });
        worker.postMessage({ id, group: encodeGroup(values) });
      });
    },
    close() {
      void worker.terminate();
    },
  };
}
