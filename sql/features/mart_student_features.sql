-- student_features: one row per student, feature (and topic for mastery),
-- stamped with the catalogue's unit, window, model and version and the as_of
-- day, so every value in a snapshot can explain where it came from.
with

activity_features as (
    select * from {{ feat_activity }}
),

quiz_features as (
    select * from {{ feat_quiz }}
),

video_features as (
    select * from {{ feat_video }}
),

mastery_features as (
    select * from {{ feat_mastery }}
),

streak_features as (
    select * from {{ feat_streak }}
),

study_hour_features as (
    select * from {{ feat_study_hour }}
),

disengagement_features as (
    select * from {{ feat_disengagement }}
),

feature_catalogue as (
    select * from {{ feature_catalogue }}
),

all_feature_rows as (
    select * from activity_features
    union all
    select * from quiz_features
    union all
    select * from video_features
    union all
    select * from mastery_features
    union all
    select * from streak_features
    union all
    select * from study_hour_features
    union all
    select * from disengagement_features
),

feature_rows_stamped as (
    select
        all_feature_rows.student_id,
        all_feature_rows.feature_id,
        all_feature_rows.topic_id,
        all_feature_rows.value,
        feature_catalogue.unit,
        feature_catalogue.window_days,
        feature_catalogue.window_start,
        date '{{ as_of }}' as window_end,
        cast(all_feature_rows.event_count as bigint) as event_count,
        all_feature_rows.detail,
        feature_catalogue.model,
        feature_catalogue.version,
        date '{{ as_of }}' as as_of
    from all_feature_rows
    inner join feature_catalogue
        on all_feature_rows.feature_id = feature_catalogue.feature_id
)

select * from feature_rows_stamped
