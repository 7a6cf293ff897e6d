-- Behaviour events of one tenant inside the lookback, in school-local time,
-- with the payload fields the features need parsed once. The event id is
-- not carried on: staging has deduplicated by it and no feature reads it.
-- as_of: the last local day that counts; events on later local days are out.
with

behaviour_events as (
    select * from {{ stg_events__behaviour }}
),

events_with_local_time as (
    select
        event_type,
        student_id,
        payload,
        occurred_at - interval '{{ local_offset_hours }}' hour as occurred_local
    from behaviour_events
    where student_id is not null
),

events_in_lookback as (
    select
        event_type,
        student_id,
        payload,
        cast(occurred_local as date) as local_date,
        hour(occurred_local) as local_hour,
        date_diff(
            'day', cast(occurred_local as date), date '{{ as_of }}'
        ) as days_ago
    from events_with_local_time
),

-- Each payload field is extracted only for the event types that carry it:
-- JSON parsing is the most expensive step of the whole job.
payload_fields as (
    select
        event_type,
        student_id,
        local_date,
        local_hour,
        days_ago,
        case
            when event_type = 'quiz.answered' then
                {{ json_text }}(payload, '$.topic_id')
        end as topic_id,
        case
            when event_type = 'quiz.answered' then
                {{ json_text }}(payload, '$.is_correct') = 'true'
        end as is_correct,
        case
            when event_type = 'quiz.answered' then
                cast({{ json_number }}(payload, '$.time_ms') as double)
        end as time_ms,
        case
            when event_type = 'video.watched' then
                cast({{ json_number }}(payload, '$.seconds_watched') as double)
        end as seconds_watched,
        case
            when event_type in (
                'video.watched', 'game.completed', 'lesson.completed'
            ) then
                cast({{ json_number }}(payload, '$.duration_seconds') as double)
        end as duration_seconds
    from events_in_lookback
    where days_ago between 0 and {{ lookback_days }} - 1
),

events_parsed as (
    select
        event_type,
        student_id,
        local_date,
        local_hour,
        days_ago,
        topic_id,
        -- Exact to the millisecond, so sums do not depend on the order in
        -- which threads add them: recomputing a day gives the same bits.
        cast(round(case event_type
            when 'video.watched' then seconds_watched
            when 'quiz.answered' then time_ms / 1000
            when 'game.completed' then duration_seconds
            when 'lesson.completed' then duration_seconds
            else 0
        end, 3) as decimal(18, 3)) as active_seconds,
        is_correct,
        case
            when event_type = 'video.watched' then
                seconds_watched >= 0.9 * duration_seconds
        end as is_video_completed
    from payload_fields
)

select * from events_parsed
