-- usual_study_hour: the local hour with the most events (ties: earlier hour).
with

local_events as (
    select * from {{ int_behaviour_events__local }}
),

events_per_hour as (
    select
        student_id,
        local_hour,
        count(*) as events_in_hour,
        sum(count(*)) over (partition by student_id) as events_30d
    from local_events
    group by student_id, local_hour
),

hours_ranked as (
    select
        *,
        row_number() over (
            partition by student_id
            order by events_in_hour desc, local_hour asc
        ) as hour_rank
    from events_per_hour
),

feature_rows as (
    select
        student_id,
        'usual_study_hour' as feature_id,
        cast(null as varchar) as topic_id,
        cast(local_hour as double) as value,
        cast(events_30d as bigint) as event_count,
        cast(null as varchar) as detail
    from hours_ranked
    where hour_rank = 1
)

select * from feature_rows
