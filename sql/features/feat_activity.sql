-- active_days_7d, active_days_30d, engagement_minutes_7d and
-- engagement_trend_wow, one row per student and feature.
with

student_days as (
    select * from {{ int_student_days }}
),

activity_per_student as (
    select
        student_id,
        sum(case when days_ago < 7 then 1 else 0 end) as active_days_7d,
        count(*) as active_days_30d,
        sum(
            case when days_ago < 7 then active_seconds else 0 end
        ) / 60.0 as engagement_minutes_7d,
        sum(
            case when days_ago between 7 and 13 then active_seconds else 0 end
        ) / 60.0 as engagement_minutes_prev_7d,
        sum(case when days_ago < 7 then event_count else 0 end) as events_7d,
        sum(case when days_ago < 14 then event_count else 0 end) as events_14d,
        sum(event_count) as events_30d
    from student_days
    group by student_id
),

activity_with_trend as (
    select
        *,
        case
            when engagement_minutes_prev_7d > 0 then
                (engagement_minutes_7d - engagement_minutes_prev_7d)
                / engagement_minutes_prev_7d
        end as engagement_trend_wow
    from activity_per_student
),

feature_rows as (
    select
        student_id,
        'active_days_7d' as feature_id,
        cast(null as varchar) as topic_id,
        cast(active_days_7d as double) as value,
        events_7d as event_count,
        cast(null as varchar) as detail
    from activity_with_trend
    union all
    select
        student_id,
        'active_days_30d' as feature_id,
        cast(null as varchar) as topic_id,
        cast(active_days_30d as double) as value,
        events_30d as event_count,
        cast(null as varchar) as detail
    from activity_with_trend
    union all
    select
        student_id,
        'engagement_minutes_7d' as feature_id,
        cast(null as varchar) as topic_id,
        cast(engagement_minutes_7d as double) as value,
        events_7d as event_count,
        cast(null as varchar) as detail
    from activity_with_trend
    union all
    select
        student_id,
        'engagement_trend_wow' as feature_id,
        cast(null as varchar) as topic_id,
        cast(engagement_trend_wow as double) as value,
        events_14d as event_count,
        cast(null as varchar) as detail
    from activity_with_trend
)

select * from feature_rows
