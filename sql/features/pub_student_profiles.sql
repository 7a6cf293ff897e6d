-- pub_student_profiles: one row per student with every feature's value and
-- event count side by side (the pivoted columns are rendered from the
-- catalogue: <feature>__value, <feature>__events), and the clauses that
-- raised the disengagement flag. The publisher turns a row into the
-- snapshot's feature list.
with

student_features as (
    select * from {{ student_features }}
),

features_per_student as (
    select
        student_id,
        {{ pivoted_feature_columns }},
        max(
            case when feature_id = 'disengagement_flag' then detail end
        ) as disengagement_clauses
    from student_features
    where feature_id <> 'mastery'
    group by student_id
)

select * from features_per_student
