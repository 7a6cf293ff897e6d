/** Tables of the local sync ledger (`<data-dir>/state/sync.db`). */
export const sqliteLedgerSchema = `
create table if not exists sync_cutoffs (
    cutoff_id text primary key,
    tenant_id text not null,
    cct text not null,
    period_id text not null,
    version integer not null,
    created_at text not null,
    deadline_at text not null,
    record_count integer not null,
    unsendable_count integer not null
);
create table if not exists sync_batches (
    cutoff_id text not null,
    batch_id text not null,
    cct text not null,
    batch_seq integer not null,
    idempotency_key text not null,
    request_hash text not null,
    record_count integer not null,
    state text not null,
    attempts integer not null default 0,
    failures integer not null default 0,
    submission_id text,
    last_status integer,
    last_error text,
    updated_at text not null,
    primary key (cutoff_id, batch_id)
);
create table if not exists sync_batch_records (
    cutoff_id text not null,
    batch_id text not null,
    record_id text not null,
    position integer not null,
    primary key (cutoff_id, record_id)
);
create table if not exists sync_attempts (
    attempt_id text primary key,
    cutoff_id text not null,
    batch_id text not null,
    attempt_no integer not null,
    run_id text not null,
    trace_id text not null,
    idempotency_key text not null,
    request_hash text not null,
    started_at text not null,
    finished_at text,
    latency_ms real,
    http_status integer,
    outcome text not null,
    error_code text,
    retry_after_s real,
    is_replayed integer not null default 0,
    response_excerpt text
);
create index if not exists sync_attempts_by_batch on sync_attempts (cutoff_id, batch_id);
create table if not exists sync_record_results (
    cutoff_id text not null,
    record_id text not null,
    batch_id text not null,
    cct text not null,
    status text not null,
    code text,
    message text,
    sent_grade real not null,
    registered_grade real,
    submission_id text not null,
    decided_at text not null,
    primary key (cutoff_id, record_id)
);
create table if not exists sync_dead_letters (
    cutoff_id text not null,
    record_id text not null,
    batch_id text not null,
    cct text not null,
    reason_kind text not null,
    reason_code text not null,
    message text not null,
    attempts integer not null,
    created_at text not null,
    primary key (cutoff_id, record_id)
);
create table if not exists sync_reconciliation (
    cutoff_id text not null,
    record_id text not null,
    reconciled_at text not null,
    outcome text not null,
    subject_code text not null,
    curp_fingerprint text not null,
    sent_grade real,
    registered_grade real,
    code text,
    ledger_status text,
    student_id text,
    correction_event_id text,
    primary key (cutoff_id, record_id)
);
create table if not exists sync_amendments (
    cutoff_id text not null,
    record_id text not null,
    idempotency_key text not null,
    trace_id text not null,
    http_status integer,
    status text,
    code text,
    previous_grade real,
    sent_grade real not null,
    registered_grade real,
    amended_at text not null,
    primary key (cutoff_id, record_id, idempotency_key)
);
`;
