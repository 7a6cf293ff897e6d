-- The whole journey of one record of one cutoff: the frozen cutoff, its batch,
-- every attempt (trace id, request hash, status, latency), the registry's
-- result, any dead letter, amendments and the reconciliation, in time order.
-- Runs on the sync ledger (SQLite: `luca sync journey`); parameters
-- :cutoff_id and :record_id. SQLite has no trailing commas in select lists,
-- so this model goes without them.
with

cutoffs as (
    select * from sync_cutoffs where cutoff_id = :cutoff_id
),

batch_records as (
    select *
    from sync_batch_records
    where cutoff_id = :cutoff_id and record_id = :record_id
),

batches as (
    select * from sync_batches where cutoff_id = :cutoff_id
),

attempts as (
    select * from sync_attempts where cutoff_id = :cutoff_id
),

results as (
    select *
    from sync_record_results
    where cutoff_id = :cutoff_id and record_id = :record_id
),

dead_letters as (
    select *
    from sync_dead_letters
    where cutoff_id = :cutoff_id and record_id = :record_id
),

amendments as (
    select *
    from sync_amendments
    where cutoff_id = :cutoff_id and record_id = :record_id
),

reconciliation as (
    select *
    from sync_reconciliation
    where cutoff_id = :cutoff_id and record_id = :record_id
),

record_batches as (
    select
        batches.*,
        batch_records.position
    from batches
    inner join batch_records
        on batches.batch_id = batch_records.batch_id
),

cutoff_steps as (
    select
        1 as stage_order,
        'cutoff' as stage,
        created_at as happened_at,
        null as batch_id,
        null as attempt_no,
        null as trace_id,
        null as idempotency_key,
        null as request_hash,
        null as http_status,
        'frozen v' || version as outcome,
        null as code,
        null as sent_grade,
        null as registered_grade,
        null as latency_ms
    from cutoffs
),

batch_steps as (
    select
        2 as stage_order,
        'batch' as stage,
        null as happened_at,
        batch_id,
        null as attempt_no,
        null as trace_id,
        idempotency_key,
        request_hash,
        last_status as http_status,
        state as outcome,
        last_error as code,
        null as sent_grade,
        null as registered_grade,
        null as latency_ms
    from record_batches
),

attempt_steps as (
    select
        3 as stage_order,
        'attempt' as stage,
        attempts.started_at as happened_at,
        attempts.batch_id,
        attempts.attempt_no,
        attempts.trace_id,
        attempts.idempotency_key,
        attempts.request_hash,
        attempts.http_status,
        attempts.outcome
            || case when attempts.is_replayed = 1 then ' (replayed)' else '' end
            as outcome,
        attempts.error_code as code,
        null as sent_grade,
        null as registered_grade,
        attempts.latency_ms
    from attempts
    inner join record_batches
        on attempts.batch_id = record_batches.batch_id
),

result_steps as (
    select
        4 as stage_order,
        'result' as stage,
        decided_at as happened_at,
        batch_id,
        null as attempt_no,
        null as trace_id,
        null as idempotency_key,
        null as request_hash,
        null as http_status,
        status as outcome,
        code,
        sent_grade,
        registered_grade,
        null as latency_ms
    from results
),

dead_letter_steps as (
    select
        5 as stage_order,
        'dead_letter' as stage,
        created_at as happened_at,
        batch_id,
        attempts as attempt_no,
        null as trace_id,
        null as idempotency_key,
        null as request_hash,
        null as http_status,
        reason_kind as outcome,
        reason_code as code,
        null as sent_grade,
        null as registered_grade,
        null as latency_ms
    from dead_letters
),

amendment_steps as (
    select
        6 as stage_order,
        'amendment' as stage,
        amended_at as happened_at,
        null as batch_id,
        null as attempt_no,
        trace_id,
        idempotency_key,
        null as request_hash,
        http_status,
        status as outcome,
        code,
        sent_grade,
        registered_grade,
        null as latency_ms
    from amendments
),

reconciliation_steps as (
    select
        7 as stage_order,
        'reconciliation' as stage,
        reconciled_at as happened_at,
        null as batch_id,
        null as attempt_no,
        null as trace_id,
        correction_event_id as idempotency_key,
        null as request_hash,
        null as http_status,
        outcome,
        code,
        sent_grade,
        registered_grade,
        null as latency_ms
    from reconciliation
),

journey as (
    select * from cutoff_steps
    union all
    select * from batch_steps
    union all
    select * from attempt_steps
    union all
    select * from result_steps
    union all
    select * from dead_letter_steps
    union all
    select * from amendment_steps
    union all
    select * from reconciliation_steps
),

journey_in_order as (
    select *
    from journey
    order by stage_order, happened_at, attempt_no
)

select * from journey_in_order
