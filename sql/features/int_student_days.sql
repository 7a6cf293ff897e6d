-- One row per student and local day with activity: events, active seconds and
-- the school-day index (Monday to Friday numbered consecutively, so two
-- consecutive school days differ by 1 even across a weekend).
with

local_events as (
    select * from {{ int_behaviour_events__local }}
),

student_days as (
    select
        student_id,
        local_date,
        min(days_ago) as days_ago,
        count(*) as event_count,
        sum(active_seconds) as active_seconds
    from local_events
    group by student_id, local_date
),

-- 2000-01-03 is a Monday: weekday 0 is Monday, 5 and 6 the weekend.
days_since_monday as (
    select
        *,
        date_diff('day', date '2000-01-03', local_date) as day_number,
        date_diff('day', date '2000-01-03', local_date) % 7 as weekday
    from student_days
),

student_days_indexed as (
    select
        student_id,
        local_date,
        days_ago,
        event_count,
        active_seconds,
        weekday < 5 as is_school_day,
        cast(
            (day_number - weekday) / 7 * 5 + least(weekday, 4) as bigint
        ) as school_day_index
    from days_since_monday
)

select * from student_days_indexed
