-- pub_feature_metadata: the stamp every row of a feature carries (unit,
-- window, model, version, as_of), once per feature.
with

student_features as (
    select * from {{ student_features }}
),

feature_metadata as (
    select distinct
        feature_id,
        unit,
        window_days,
        cast(window_start as varchar) as window_start,
        cast(window_end as varchar) as window_end,
        model,
        version,
        cast(as_of as varchar) as as_of
    from student_features
)

select * from feature_metadata
