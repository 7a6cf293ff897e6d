// The audit table and its group write, shared by the writer thread and the
// inline writer. Plain JavaScript so a worker thread can load it on Node 20
// (which cannot load TypeScript into a worker through the tsx hooks).
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

/**
 * Opens the audit table in WAL mode and returns its chain head and a function
 * writing one group in one transaction. `syncs: 'each-commit'` (the default)
 * sets synchronous=FULL, so SQLite fsyncs the WAL inside every commit;
 * `syncs: 'caller'` sets synchronous=NORMAL and leaves the fsync of the WAL
 * file (`walPath`) to the caller, who must finish it before treating a group
 * as durable (ADR 0072).
 */
export function openAuditStore(path, columns, options = {}) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(options.syncs === 'caller' ? 'synchronous = NORMAL' : 'synchronous = FULL');
  db.exec(schema);
  const head = db.prepare('select seq, hash from audit_records order by seq desc limit 1').get();
  const insert = db.prepare(
    `insert into audit_records (${columns.join(', ')}, hash)
     values (${columns.map((c) => `@${c}`).join(', ')}, @hash)`,
  );
  const writeGroup = db.transaction((rows) => {
    for (const row of rows) insert.run(row);
  });

  return {
    head: { seq: head?.seq ?? 0, hash: head?.hash ?? null },
    walPath: `${db.name}-wal`,
    writeGroup,
    close: () => db.close(),
  };
}
