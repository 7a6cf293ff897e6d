-- Behaviour events (sessions, videos, quizzes, games, lessons, hints) from the
-- raw lake, one row per (tenant_id, event_id). Producers retry and the dedup
-- window of the landing buffer is finite, so the raw files may hold an event
-- twice: the first received copy wins. Ids are pseudonyms; payload is JSON
-- text.
--
-- Copies are rare, so only the rows whose event_key_hash (a 64-bit hash of
-- tenant_id and event_id that the raw relation carries) is seen more than
-- once go through the ranking window; every other row passes straight
-- through. The window compares the ids themselves, so two ids that share a
-- hash are ranked apart and both kept. Grouping the hashes costs less than
-- grouping the ids, and ranking every row (sorting the payload of millions
-- of single copies) was the slowest step of the features job
-- (docs/adr/0080).
--
-- {{ inline_cte }} keeps the repeated hashes inlined where an engine would
-- store a CTE read twice: stored, DuckDB then read every raw column for the
-- single copies instead of the ones a query uses.

with

repeated_key_hashes as {{ inline_cte }} (

    select event_key_hash
    from {{ raw_behaviour }} as raw_behaviour
    where event_id is not null
    group by event_key_hash
    having count(*) > 1

),

single_copies as (

    select raw_behaviour.*
    from {{ raw_behaviour }} as raw_behaviour
    left join repeated_key_hashes
        on raw_behaviour.event_key_hash = repeated_key_hashes.event_key_hash
    where repeated_key_hashes.event_key_hash is null

),

ranked_copies as (

    select
        raw_behaviour.*,
        row_number() over (
            partition by raw_behaviour.tenant_id, raw_behaviour.event_id
            order by raw_behaviour.received_at, raw_behaviour.trace_id
        ) as copy_rank
    from {{ raw_behaviour }} as raw_behaviour
    inner join repeated_key_hashes
        on raw_behaviour.event_key_hash = repeated_key_hashes.event_key_hash

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
