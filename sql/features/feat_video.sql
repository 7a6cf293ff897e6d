-- video_completion_rate_30d: share of videos watched to at least 90%.
with

local_events as (
    select * from {{ int_behaviour_events__local }}
),

videos_per_student as (
    select
        student_id,
        sum(
            case when event_type = 'video.watched' then 1 else 0 end
        ) as videos,
        sum(case when is_video_completed then 1 else 0 end) as videos_completed
    from local_events
    group by student_id
),

feature_rows as (
    select
        student_id,
        'video_completion_rate_30d' as feature_id,
        cast(null as varchar) as topic_id,
        case
            when videos > 0 then cast(videos_completed as double) / videos
        end as value,
        videos as event_count,
        cast(null as varchar) as detail
    from videos_per_student
)

select * from feature_rows
