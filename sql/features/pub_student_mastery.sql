-- pub_student_mastery: one row per student with the mastery topics as
-- parallel arrays (topic, smoothed value, answers, correct answers).
with

student_features as (
    select * from {{ student_features }}
),

mastery_per_student as (
    select
        student_id,
        array_agg(topic_id) as topic_ids,
        array_agg(value) as mastery_values,
        array_agg(event_count) as answers,
        array_agg(cast(detail as bigint)) as correct_answers
    from student_features
    where feature_id = 'mastery'
    group by student_id
)

select * from mastery_per_student
