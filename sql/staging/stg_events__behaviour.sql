-- Behaviour events (sessions, videos, quizzes, games, lessons, hints) from the
-- raw lake, one row per (tenant_id, event_id). Producers retry and the dedup
-- window of the landing buffer is finite, so the raw files may hold an event
-- twice: the first received copy wins. Ids are pseudonyms; payload is JSON
-- text.
--
-- Copies are rare, so only the event ids seen more than once go through the
-- ranking window; every other row passes straight through. Ranking every row
-- (sorting the payload of millions of single copies) was the slowest step of
-- the features job (docs/profile.md).

with

repeated_event_ids as (

    select
        tenant_id,
        event_id
    from {{ raw_behaviour }} as raw_behaviour
    group by tenant_id, event_id
    having count(*) > 1

),

single_copies as (

    select raw_behaviour.*
    from {{ raw_behaviour }} as raw_behaviour
    left join repeated_event_ids
        on raw_behaviour.tenant_id = repeated_event_ids.tenant_id
        and raw_behaviour.event_id = repeated_event_ids.event_id
    where repeated_event_ids.event_id is null

),

ranked_copies as (

    select
        raw_behaviour.*,
        row_number() over (
            partition by raw_behaviour.tenant_id, raw_behaviour.event_id
            order by raw_behaviour.received_at, raw_behaviour.trace_id
        ) as copy_rank
    from {{ raw_behaviour }} as raw_behaviour
    inner join repeated_event_ids
        on raw_behaviour.tenant_id = repeated_event_ids.tenant_id
        and raw_behaviour.event_id = repeated_event_ids.event_id

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
    from single_copies
    union all
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
