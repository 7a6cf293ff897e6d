// The audit log's writer thread. It is plain JavaScript because Node 20 cannot
// load TypeScript into a worker thread through the tsx hooks. It owns the
// SQLite connection: each message is one group of rows, written in one
// transaction, so one fsync (synchronous=FULL in WAL mode) covers the group.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const schema = `
    create table if not exists audit_records (
        seq integer primary key,
        recorded_at text not null,
        trace_id text not null,
        tenant_id text,
        actor_id text,
        actor_role text,
        action text not null,
        student_id text,
        outcome text not null,
        http_status integer not null,
        fields text not null,
        error_code text,
        prev_hash text not null,
        hash text not null
    );
    create trigger if not exists audit_records_no_update
        before update on audit_records
        begin select raise(abort, 'audit records are append-only'); end;
    create trigger if not exists audit_records_no_delete
        before delete on audit_records
        begin select raise(abort, 'audit records are append-only'); end;
`;

const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(schema);

const head = db.prepare('select seq, hash from audit_records order by seq desc limit 1').get();
const columns = workerData.columns;
const insert = db.prepare(
  `insert into audit_records (${columns.join(', ')}, hash)
   values (${columns.map((c) => `@${c}`).join(', ')}, @hash)`,
);
const writeGroup = db.transaction((rows) => {
  for (const row of rows) insert.run(row);
});

parentPort.postMessage({ type: 'ready', seq: head?.seq ?? 0, hash: head?.hash ?? null });

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    writeGroup(message.rows);
    parentPort.postMessage({ type: 'written', id: message.id });
  } catch (err) {
    parentPort.postMessage({ type: 'failed', id: message.id, message: String(err?.message) });
  }
});
