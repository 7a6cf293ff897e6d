-- pub_student_feature_values: every feature row as numbers only, so the
-- publisher reads typed columns and no string per row (a string costs a call
-- into DuckDB; 400,000 of them took longer than the whole query). The
-- feature and the topic come as their positions in {{ feature_ids }} and
-- {{ topic_ids }} (0-based), the student as a 53-bit hash of its id (the
-- publisher checks each row against pub_student_profiles), and mastery's
-- correct answers as a number.
--
-- No column holds a null: a null costs the reader a BigInt test per value,
-- so an empty value is NaN and a missing position -1.
--
-- {{ row_order }} is empty when the rows can be taken in file order (the
-- features job writes them sorted by student, feature and topic), or an
-- order by student_id, feature_id, topic_id when they cannot.
with

student_features as (
    select * from {{ student_features }}
),

feature_values as (
    select
        student_id,
        feature_id,
        topic_id,
        cast(hash(student_id) >> 11 as double) as student_hash,
        cast(
            coalesce(list_position({{ feature_ids }}, feature_id), 0) - 1
            as integer
        ) as feature_no,
        cast(
            coalesce(list_position({{ topic_ids }}, topic_id), 0) - 1
            as integer
        ) as topic_no,
        coalesce(value, cast('nan' as double)) as value,
        coalesce(cast(event_count as double), cast('nan' as double))
            as event_count,
        case
            when feature_id = 'mastery' then cast(detail as double)
            else cast('nan' as double)
        end as correct_answers
    from student_features
)

select
    student_hash,
    feature_no,
    topic_no,
    value,
    event_count,
    correct_answers
from feature_values
{{ row_order }}
