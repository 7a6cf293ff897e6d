-- pub_student_profiles: one row per student with the profile's feature and
-- mastery lists as JSON text already in the snapshot document's shape, and
-- the feature values the rule reasons and cohort percentiles need.
-- list_sort orders each list by its first field (feature_id, topic_id): far
-- cheaper than an ordered aggregate.
-- DuckDB only (struct literals, to_json): the publisher runs locally on the
-- curated Parquet; see docs/adr/0032-snapshot-publishing.md.
with

student_features as (
    select * from {{ student_features }}
),

feature_entries as (
    select
        student_id,
        feature_id,
        topic_id,
        value,
        unit,
        detail,
        case
            when feature_id = 'mastery' then cast(detail as bigint)
        end as correct_answers,
        {
            'days': window_days,
            'start': strftime(window_start, '%Y-%m-%d'),
            'end': strftime(window_end, '%Y-%m-%d')
        } as feature_window,
        event_count,
        model,
        version,
        strftime(as_of, '%Y-%m-%d') as as_of_text
    from student_features
),

profiles as (
    select
        student_id,
        max(as_of_text) as as_of,
        to_json(
            list_sort(list(
                {
                    'feature_id': feature_id,
                    'value': value,
                    'unit': unit,
                    'window': feature_window,
                    'event_count': event_count,
                    'model': model,
                    'version': version,
                    'as_of': as_of_text
                }
            ) filter (where feature_id <> 'mastery'))
        ) as features_json,
        to_json(
            list_sort(list(
                {
                    'topic_id': topic_id,
                    'value': value,
                    'answers': event_count,
                    'correct': correct_answers,
                    'prior': {
                        'alpha': {{ mastery_alpha }},
                        'beta': {{ mastery_beta }}
                    },
                    'window': feature_window,
                    'model': model,
                    'version': version,
                    'as_of': as_of_text
                }
            ) filter (where feature_id = 'mastery'))
        ) as mastery_json,
        max(
            case when feature_id = 'disengagement_flag' then value end
        ) as disengagement_flag,
        max(
            case when feature_id = 'disengagement_flag' then detail end
        ) as disengagement_clauses,
        {{ pivoted_feature_columns }}
    from feature_entries
    group by student_id
)

select * from profiles
