-- pub_feature_metadata: the stamp every row of a feature carries (unit,
-- window, model, version, as_of), once per feature. The mart stamps each row
-- from the catalogue, so a feature has one stamp per file.
with

student_features as (
    select * from {{ student_features }}
),

feature_metadata as (
    select
        feature_id,
        min(unit) as unit,
        min(window_days) as window_days,
        cast(min(window_start) as varchar) as window_start,
        cast(min(window_end) as varchar) as window_end,
        min(model) as model,
        min(version) as version,
        cast(min(as_of) as varchar) as as_of
    from student_features
    group by feature_id
)

select * from feature_metadata order by feature_id
