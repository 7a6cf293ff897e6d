-- pub_student_grades: one row per student with the current period's
-- consolidated grades as JSON text in the snapshot document's shape.
-- DuckDB only, like pub_student_profiles.
with

consolidated_grades as (
    select * from {{ consolidated_grades }}
),

general_averages as (
    select * from {{ general_averages }}
),

subjects_per_student as (
    select
        student_id,
        max(period_id) as period_id,
        strftime(
            max(cast(computed_at as timestamptz)), '%Y-%m-%dT%H:%M:%SZ'
        ) as computed_at,
        to_json(
            list(
                {
                    'subject_code': subject_code,
                    'grade': cast(grade as double),
                    'is_passing': is_passing,
                    'policy_id': policy_id,
                    'policy_version': policy_version,
                    'policy_hash': policy_hash,
                    'explanation': json(explanation)
                }
                order by subject_code
            )
        ) as subjects_json
    from consolidated_grades
    group by student_id
),

grades_with_average as (
    select
        subjects_per_student.*,
        cast(general_averages.general_average as double) as general_average
    from subjects_per_student
    left join general_averages
        on subjects_per_student.student_id = general_averages.student_id
)

select * from grades_with_average
