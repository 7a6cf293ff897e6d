-- Landed behaviour events the real-time catch-up replays through the apply
-- script: every tenant's events about a student in the replay window, in
-- occurred_at order (the live streak depends on the order events are applied
-- in). event_date (the UTC partition) prunes files, occurred_at cuts the
-- window to whole school-local days, received_at skips what an earlier
-- catch-up of the same consumer already covered. No dedup here: the apply
-- script's seen sets count an event once however often it comes.

with

raw_events as (
    select * from {{ raw_behaviour }}
),

events_in_window as (
    select
        tenant_id,
        student_id,
        event_id,
        event_type,
        occurred_at,
        payload
    from raw_events
    where
        event_date between {{ first_event_date }} and {{ last_event_date }}
        and occurred_at >= {{ replay_from }}
        and occurred_at < {{ replay_to }}
        and received_at >= {{ received_since }}
        and student_id is not null
)

select * from events_in_window
order by occurred_at, tenant_id, event_id
