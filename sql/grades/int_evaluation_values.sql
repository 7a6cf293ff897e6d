-- One row per evaluation: what it contributes to its subject's grade.
-- Fixed-point integers (`{{ fixed_int }}`): scores and maximums in units of
-- 1e-4, policy numbers in units of 1e-2, values in units of 1e-20. Every
-- division is exact (the remainder is taken off first), so DuckDB and Athena
-- floor the same way (docs/adr/0025-exact-decimal-grades.md).
with

evaluations as (
    select * from {{ evaluations }}
),

policy_params as (
    select * from {{ policy_params }}
),

policy_categories as (
    select * from {{ policy_categories }}
),

scored_evaluations as (
    select
        evaluations.tenant_id,
        evaluations.period_id,
        evaluations.student_id,
        evaluations.subject_code,
        evaluations.evaluation_id,
        evaluations.category,
        evaluations.is_missing,
        evaluations.is_extra_credit,
        evaluations.is_voided,
        cast(
            round(coalesce(evaluations.corrected_score, evaluations.score) * 10000)
            as {{ fixed_int }}
        ) as score_e4,
        cast(round(evaluations.max_score * 10000) as {{ fixed_int }})
            as max_score_e4,
        cast(policy_params.scale_min_e2 as {{ fixed_int }}) as scale_min_e2,
        cast(policy_params.scale_max_e2 as {{ fixed_int }}) as scale_max_e2,
        cast(policy_params.extra_max_e2 as {{ fixed_int }}) as extra_max_e2,
        policy_params.missing_rule,
        policy_categories.category_id is not null as is_known_category
    from evaluations
    inner join policy_params
        on evaluations.tenant_id = policy_params.tenant_id
        and evaluations.period_id = policy_params.period_id
    left join policy_categories
        on evaluations.tenant_id = policy_categories.tenant_id
        and evaluations.period_id = policy_categories.period_id
        and evaluations.category = policy_categories.category_id
),

classified_evaluations as (
    select
        *,
        case
            when is_voided then 'voided'
            when is_extra_credit and extra_max_e2 = 0
                then 'extra_credit_not_allowed'
            when is_extra_credit and is_missing then 'missing_extra_credit'
            when not is_extra_credit and not is_known_category
                then 'unknown_category'
        end as ignored_reason,
        score_e4 * scale_max_e2 * 1000000000000000000 as value_numerator,
        score_e4 * extra_max_e2 * 1000000000000000000 as extra_numerator
    from scored_evaluations
),

contributing_evaluations as (
    select
        *,
        case
            when ignored_reason is not null then 'ignored'
            when is_extra_credit then 'extra_credit'
            when is_missing and missing_rule = 'exclude'
                then 'missing_excluded'
            else 'counted'
        end as contribution
    from classified_evaluations
),

valued_evaluations as (
    select
        tenant_id,
        period_id,
        student_id,
        subject_code,
        evaluation_id,
        category,
        is_missing,
        contribution,
        ignored_reason,
        case
            when contribution <> 'counted' then null
            when is_missing and missing_rule = 'zero'
                then cast(0 as {{ fixed_int }})
            when is_missing then scale_min_e2 * 1000000000000000000
            else
                (value_numerator - mod(value_numerator, max_score_e4))
                {{ exact_div }} max_score_e4
        end as value_units,
        case
            when contribution = 'extra_credit'
                then
                    (extra_numerator - mod(extra_numerator, max_score_e4))
                    {{ exact_div }} max_score_e4
        end as extra_units
    from contributing_evaluations
)

select * from valued_evaluations
