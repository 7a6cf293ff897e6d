-- quiz_attempts_30d, quiz_accuracy_30d and hint_rate_30d for every student
-- active in the lookback (0 attempts and empty ratios when there were none).
with

local_events as (
    select * from {{ int_behaviour_events__local }}
),

quiz_per_student as (
    select
        student_id,
        sum(
            case when event_type = 'quiz.answered' then 1 else 0 end
        ) as answers,
        sum(case when is_correct then 1 else 0 end) as correct_answers,
        sum(
            case when event_type = 'hint.requested' then 1 else 0 end
        ) as hints
    from local_events
    group by student_id
),

quiz_ratios as (
    select
        *,
        case
            when answers > 0 then cast(correct_answers as double) / answers
        end as quiz_accuracy_30d,
        case
            when answers > 0 then cast(hints as double) / answers
        end as hint_rate_30d
    from quiz_per_student
),

feature_rows as (
    select
        student_id,
        'quiz_attempts_30d' as feature_id,
        cast(null as varchar) as topic_id,
        cast(answers as double) as value,
        answers as event_count,
        cast(null as varchar) as detail
    from quiz_ratios
    union all
    select
        student_id,
        'quiz_accuracy_30d' as feature_id,
        cast(null as varchar) as topic_id,
        quiz_accuracy_30d as value,
        answers as event_count,
        cast(null as varchar) as detail
    from quiz_ratios
    union all
    select
        student_id,
        'hint_rate_30d' as feature_id,
        cast(null as varchar) as topic_id,
        hint_rate_30d as value,
        answers + hints as event_count,
        cast(null as varchar) as detail
    from quiz_ratios
)

select * from feature_rows
