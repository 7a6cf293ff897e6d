-- Behaviour events of one tenant inside the lookback, in school-local time,
-- with the payload fields the features need parsed once.
-- as_of: the last local day that counts; events on later local days are out.
with

behaviour_events as (
    select * from {{ stg_events__behaviour }}
),

events_with_local_time as (
    select
        event_id,
        event_type,
        student_id,
        payload,
        occurred_at - interval '{{ local_offset_hours }}' hour as occurred_local
    from behaviour_events
    where student_id is not null
),

events_in_lookback as (
    select
        event_id,
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

events_parsed as (
    select
        event_id,
        event_type,
        student_id,
        local_date,
        local_hour,
        days_ago,
        {{ json_text }}(payload, '$.topic_id') as topic_id,
        case event_type
            when 'video.watched' then
                cast({{ json_number }}(payload, '$.seconds_watched') as double)
            when 'quiz.answered' then
                cast({{ json_number }}(payload, '$.time_ms') as double) / 1000
            when 'game.completed' then
                cast({{ json_number }}(payload, '$.duration_seconds') as double)
            when 'lesson.completed' then
                cast({{ json_number }}(payload, '$.duration_seconds') as double)
            else 0
        end as active_seconds,
        case
            when event_type = 'quiz.answered' then
                {{ json_text }}(payload, '$.is_correct') = 'true'
        end as is_correct,
        case
            when event_type = 'video.watched' then
                cast({{ json_number }}(payload, '$.seconds_watched') as double)
                >= 0.9 * cast(
                    {{ json_number }}(payload, '$.duration_seconds') as double
                )
        end as is_video_completed
    from events_in_lookback
    where days_ago between 0 and {{ lookback_days }} - 1
)

select * from events_parsed
