-- mastery per topic: (correct + alpha) / (answers + alpha + beta), a Beta
-- prior that keeps a handful of answers near 0.5 (see the catalogue).
with

local_events as (
    select * from {{ int_behaviour_events__local }}
),

answers_per_topic as (
    select
        student_id,
        topic_id,
        count(*) as answers,
        sum(case when is_correct then 1 else 0 end) as correct_answers
    from local_events
    where event_type = 'quiz.answered' and topic_id is not null
    group by student_id, topic_id
),

feature_rows as (
    select
        student_id,
        'mastery' as feature_id,
        topic_id,
        (correct_answers + {{ mastery_alpha }})
        / cast(answers + {{ mastery_alpha }} + {{ mastery_beta }} as double)
            as value,
        answers as event_count,
        cast(correct_answers as varchar) as detail
    from answers_per_topic
)

select * from feature_rows
