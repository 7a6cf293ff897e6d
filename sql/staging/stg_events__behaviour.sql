-- Behaviour events (sessions, videos, quizzes, games, lessons, hints) from the
-- raw lake, one row per (tenant_id, event_id). Producers retry and the dedup
-- window of the landing buffer is finite, so the raw files may hold an event
-- twice: the first received copy wins. Ids are pseudonyms; payload is JSON
-- text.

with

raw_behaviour as (

    select * from {{ raw_behaviour }}

),

ranked_copies as (

    select
        tenant_id,
        event_date,
        event_id,
        event_type,
        schema_version,
        occurred_at,
        received_at,
        actor_id,
        actor_role,
        student_id,
        trace_id,
        payload,
        row_number() over (
            partition by tenant_id, event_id
            order by received_at, trace_id
        ) as copy_rank
    from raw_behaviour

),

first_copies as (

    select
        tenant_id,
        event_date,
        event_id,
        event_type,
        schema_version,
        occurred_at,
        received_at,
        actor_id,
        actor_role,
        student_id,
        trace_id,
        payload
    from ranked_copies
    where copy_rank = 1

)

select * from first_copies
