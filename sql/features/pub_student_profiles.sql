-- pub_student_profiles: one row per student with the snapshot's feature and
-- mastery lists already as JSON text (each entry stamped with its unit,
-- window, event count, model, version and as_of), the values the publisher
-- still needs one by one (rendered from the catalogue: one <feature> column
-- each, for the disengagement reasons and the cohort ranks) and the clauses
-- that raised the disengagement flag. Building the JSON here moves one string
-- per student into Node instead of every feature row. Lists are sorted by
-- their first field (feature_id, topic_id) with list_sort, several times
-- faster than an ordered aggregate; to_json writes dates as YYYY-MM-DD.
-- DuckDB only.
with

student_features as (
    select * from {{ student_features }}
),

features_per_student as (
    select
        student_id,
        cast(any_value(as_of) as varchar) as as_of,
        cast(
            to_json(
                list_sort(
                    list(
                        {
                            'feature_id': feature_id,
                            'value': value,
                            'unit': unit,
                            'window': {
                                'days': window_days,
                                'start': window_start,
                                'end': window_end,
                            },
                            'event_count': event_count,
                            'model': model,
                            'version': version,
                            'as_of': as_of,
                        }
                    )
                )
            ) as varchar
        ) as features_json,
        {{ pivoted_feature_values }},
        max(
            case when feature_id = 'disengagement_flag' then detail end
        ) as disengagement_clauses
    from student_features
    where feature_id <> 'mastery' and event_count is not null
    group by student_id
),

mastery_per_student as (
    select
        student_id,
        cast(
            to_json(
                list_sort(
                    list(
                        {
                            'topic_id': topic_id,
                            'value': value,
                            'answers': event_count,
                            'correct': cast(detail as bigint),
                            'prior': {{ mastery_prior }},
                            'window': {
                                'days': window_days,
                                'start': window_start,
                                'end': window_end,
                            },
                            'model': model,
                            'version': version,
                            'as_of': as_of,
                        }
                    )
                )
            ) as varchar
        ) as mastery_json
    from student_features
    where feature_id = 'mastery'
    group by student_id
),

profiles_per_student as (
    select
        features_per_student.*,
        coalesce(mastery_per_student.mastery_json, '[]') as mastery_json
    from features_per_student
    left join mastery_per_student
        on features_per_student.student_id = mastery_per_student.student_id
)

select * from profiles_per_student
