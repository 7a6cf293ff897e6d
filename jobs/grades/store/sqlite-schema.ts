import type Database from 'better-sqlite3';

/**
 * Tables of the embedded store. `evaluations.item` holds the same JSON object
 * the DynamoDB item carries (current state plus history); `outbox` holds every
 * event a change emitted, written in the change's transaction.
 */
const ddl = `
    create table if not exists roster (
        tenant_id text not null,
        kind text not null,
        id text not null,
        group_id text,
        data text not null,
        updated_at text not null,
        primary key (tenant_id, kind, id)
    );
    create index if not exists roster_students_by_group
        on roster (tenant_id, group_id) where kind = 'student';
    create table if not exists evaluations (
        tenant_id text not null,
        evaluation_id text not null,
        student_id text not null,
        period_id text not null,
        subject_code text not null,
        version integer not null,
        item text not null,
        primary key (tenant_id, evaluation_id)
    );
    create index if not exists evaluations_by_student
        on evaluations (tenant_id, student_id, period_id, subject_code);
    create table if not exists idempotency_keys (
        tenant_id text not null,
        idempotency_key text not null,
        operation text not null,
        request_hash text not null,
        evaluation_id text not null,
        created_at text not null,
        primary key (tenant_id, idempotency_key)
    );
    create table if not exists outbox (
        seq integer primary key autoincrement,
        event_id text not null unique,
        tenant_id text not null,
        event_type text not null,
        event text not null,
        created_at text not null,
        status text not null default 'pending',
        attempts integer not null default 0,
        last_attempt_at text,
        reject_code text,
        reject_message text
    );
    create index if not exists outbox_by_status on outbox (status, seq);
`;

/** Opens the connection settings the store relies on and creates missing tables. */
export function prepareDatabase(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // FULL: a change and its outbox row survive a power cut once the call returns.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  db.exec(ddl);
}

/** The prepared statements of the store, compiled once per connection. */
export function prepareStatements(db: Database.Database) {
  return {
    putRoster: db.prepare(
      `insert into roster (tenant_id, kind, id, group_id, data, updated_at)
       values (@tenant_id, @kind, @id, @group_id, @data, @updated_at)
       on conflict (tenant_id, kind, id) do update set
       group_id = excluded.group_id, data = excluded.data, updated_at = excluded.updated_at`,
    ),
    getRoster: db.prepare('select * from roster where tenant_id = ? and kind = ? and id = ?'),
    deleteRoster: db.prepare('delete from roster where tenant_id = ? and kind = ? and id = ?'),
    rosterPage: db.prepare(
      `select * from roster where (tenant_id, kind, id) > (?, ?, ?)
       and (? is null or tenant_id = ?) order by tenant_id, kind, id limit ?`,
    ),
    tenants: db.prepare('select distinct tenant_id from roster order by tenant_id'),
    getEvaluation: db.prepare(
      'select item from evaluations where tenant_id = ? and evaluation_id = ?',
    ),
    insertEvaluation: db.prepare(
      `insert into evaluations
       (tenant_id, evaluation_id, student_id, period_id, subject_code, version, item)
       values (?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateEvaluation: db.prepare(
      `update evaluations set version = ?, item = ?
       where tenant_id = ? and evaluation_id = ? and version = ?`,
    ),
    evaluationPage: db.prepare(
      `select evaluation_id, item from evaluations
       where tenant_id = ? and evaluation_id > ? order by evaluation_id limit ?`,
    ),
    getBinding: db.prepare(
      `select operation, request_hash, evaluation_id from idempotency_keys
       where tenant_id = ? and idempotency_key = ?`,
    ),
    insertBinding: db.prepare(
      `insert into idempotency_keys
       (tenant_id, idempotency_key, operation, request_hash, evaluation_id, created_at)
       values (?, ?, ?, ?, ?, ?)`,
    ),
    insertOutbox: db.prepare(
      `insert into outbox (event_id, tenant_id, event_type, event, created_at)
       values (?, ?, ?, ?, ?)`,
    ),
  };
}

export type SqliteStatements = ReturnType<typeof prepareStatements>;
