-- usual_study_hour: the local hour with the most events (ties: earlier hour).
-- Two aggregates and a join instead of a ranking window: ranking sorted every
-- (student, hour) row and was the slowest feature model (docs/profile.md).
with

local_events as (
    select * from {{ int_behaviour_events__local }}
),

events_per_hour as (
    select
        student_id,
        local_hour,
        count(*) as events_in_hour
    from local_events
    group by student_id, local_hour
),

busiest_hour_count as (
    select
        student_id,
        max(events_in_hour) as events_in_busiest_hour,
        sum(events_in_hour) as events_30d
    from events_per_hour
    group by student_id
),

busiest_hours as (
    select
        events_per_hour.student_id,
        min(events_per_hour.local_hour) as local_hour,
        max(busiest_hour_count.events_30d) as events_30d
    from events_per_hour
    inner join busiest_hour_count
        on events_per_hour.student_id = busiest_hour_count.student_id
        and events_per_hour.events_in_hour
        = busiest_hour_count.events_in_busiest_hour
    group by events_per_hour.student_id
),

feature_rows as (
    select
        student_id,
        'usual_study_hour' as feature_id,
        cast(null as varchar) as topic_id,
        cast(local_hour as double) as value,
        cast(events_30d as bigint) as event_count,
        cast(null as varchar) as detail
    from busiest_hours
)

select * from feature_rows
