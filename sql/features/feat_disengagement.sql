-- disengagement_flag: the catalogue's rule, rendered into one expression
-- (a comma-separated list of the clauses that hold). detail keeps that list
-- so the snapshot can explain the flag.
with

activity_features as (
    select * from {{ feat_activity }}
),

streak_features as (
    select * from {{ feat_streak }}
),

rule_inputs as (
    select
        student_id,
        max(
            case when feature_id = 'active_days_7d' then value end
        ) as active_days_7d,
        max(
            case when feature_id = 'engagement_trend_wow' then value end
        ) as engagement_trend_wow,
        max(
            case when feature_id = 'inactive_school_days' then value end
        ) as inactive_school_days,
        max(
            case when feature_id = 'active_days_30d' then event_count end
        ) as events_30d
    from (
        select * from activity_features
        union all
        select * from streak_features
    ) as rule_feature_rows
    group by student_id
),

rule_evaluated as (
    select
        student_id,
        events_30d,
        {{ disengagement_matched_clauses }} as matched_clauses
    from rule_inputs
),

feature_rows as (
    select
        student_id,
        'disengagement_flag' as feature_id,
        cast(null as varchar) as topic_id,
        case when matched_clauses <> '' then 1.0 else 0.0 end as value,
        events_30d as event_count,
        matched_clauses as detail
    from rule_evaluated
)

select * from feature_rows
