-- pub_student_profiles: one row per student, in student_id order: the hash
-- of its id (as pub_student_feature_values computes it), how many feature
-- rows it has (mastery topics included) and the clauses that raised the
-- disengagement flag (null when none). The publisher takes each student's
-- rows from pub_student_feature_values in this order.
with

student_features as (
    select * from {{ student_features }}
),

students as (
    select
        student_id,
        cast(hash(student_id) >> 11 as double) as student_hash,
        cast(count(*) as integer) as feature_rows,
        nullif(
            max(case when feature_id = 'disengagement_flag' then detail end),
            ''
        ) as disengagement_clauses
    from student_features
    group by student_id
)

select * from students order by student_id
