// The buffer's writer thread: receives groups of rows, commits each in one
// fsync'd transaction and answers with per-row statuses. Keeping SQLite's
// inserts and fsyncs here leaves the HTTP thread free to parse and validate.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createGroupWriter, openBufferDatabase } from './append-group.mjs';

const db = openBufferDatabase(Database, workerData.file, workerData.busyTimeoutMs);
const writeGroup = createGroupWriter(db, workerData.statements);

parentPort.on('message', ({ id, group }) => {
  try {
    parentPort.postMessage({ id, statuses: writeGroup(group) });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
