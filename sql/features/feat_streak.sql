-- streak_school_days and inactive_school_days. The target is the last school
-- day on or before as_of; weekend days map to the Friday before them.
with

student_days as (
    select * from {{ int_student_days }}
),

as_of_day as (
    select
        date_diff('day', date '2000-01-03', date '{{ as_of }}') as day_number,
        date_diff('day', date '2000-01-03', date '{{ as_of }}') % 7 as weekday
),

target_school_day as (
    select
        cast(
            (day_number - weekday) / 7 * 5 + least(weekday, 4) as bigint
        ) as school_day_index
    from as_of_day
),

active_school_days as (
    select
        student_id,
        school_day_index,
        school_day_index - row_number() over (
            partition by student_id order by school_day_index
        ) as island_id
    from student_days
    where is_school_day
),

islands as (
    select
        student_id,
        island_id,
        max(school_day_index) as last_index,
        count(*) as island_length
    from active_school_days
    group by student_id, island_id
),

streak_per_student as (
    select
        islands.student_id,
        max(islands.island_length) as streak_school_days
    from islands
    inner join target_school_day
        on islands.last_index = target_school_day.school_day_index
    group by islands.student_id
),

activity_per_student as (
    select
        student_id,
        max(school_day_index) as last_active_index,
        sum(event_count) as events_30d
    from student_days
    group by student_id
),

feature_rows as (
    select
        activity_per_student.student_id,
        'streak_school_days' as feature_id,
        cast(null as varchar) as topic_id,
        cast(
            coalesce(streak_per_student.streak_school_days, 0) as double
        ) as value,
        activity_per_student.events_30d as event_count,
        cast(null as varchar) as detail
    from activity_per_student
    left join streak_per_student
        on activity_per_student.student_id = streak_per_student.student_id
    union all
    select
        activity_per_student.student_id,
        'inactive_school_days' as feature_id,
        cast(null as varchar) as topic_id,
        cast(
            target_school_day.school_day_index
            - activity_per_student.last_active_index as double
        ) as value,
        activity_per_student.events_30d as event_count,
        cast(null as varchar) as detail
    from activity_per_student
    cross join target_school_day
)

select * from feature_rows
