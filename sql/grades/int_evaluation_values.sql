-- One row per evaluation: what it contributes to its subject's grade.
-- Fixed-point integers: scores and maximums in units of 1e-4, policy numbers
-- in units of 1e-2 (bigint), values in units of 1e-20 (`{{ fixed_int }}`).
-- Every division is exact (the remainder is taken off first), so DuckDB and
-- Athena floor the same way (docs/adr/0025-exact-decimal-grades.md).
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
            round(
                coalesce(evaluations.corrected_score, evaluations.score)
                * 10000
            )
            as bigint
        ) as score_e4,
        cast(round(evaluations.max_score * 10000) as bigint) as max_score_e4,
        cast(policy_params.scale_min_e2 as bigint) as scale_min_e2,
        cast(policy_params.scale_max_e2 as bigint) as scale_max_e2,
        cast(policy_params.extra_max_e2 as bigint) as extra_max_e2,
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
        case
            when is_extra_credit then score_e4 * extra_max_e2
            else score_e4 * scale_max_e2
        end as points_numerator
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

-- Long division in 64-bit integers (fast on both engines): the quotient
-- numerator / max_score in three limbs, hundredths (`points_hi`) then two
-- groups of 9 more digits, i.e. exactly floor(numerator * 1e18 / max_score)
-- in units of 1e-20.
divided_evaluations as (
    select
        *,
        (points_numerator - mod(points_numerator, max_score_e4))
        {{ exact_div }} max_score_e4 as points_hi,
        mod(points_numerator, max_score_e4) * 1000000000 as first_rest
    from contributing_evaluations
),

limb_evaluations as (
    select
        *,
        (first_rest - mod(first_rest, max_score_e4))
        {{ exact_div }} max_score_e4 as points_f1,
        mod(first_rest, max_score_e4) * 1000000000 as second_rest
    from divided_evaluations
),

points_evaluations as (
    select
        *,
        (second_rest - mod(second_rest, max_score_e4))
        {{ exact_div }} max_score_e4 as points_f2
    from limb_evaluations
),

valued_limbs as (
    select
        *,
        case
            when contribution <> 'counted' then null
            when is_missing and missing_rule = 'zero' then 0
            when is_missing then scale_min_e2
            else points_hi
        end as value_hi,
        case
            when contribution <> 'counted' then null
            when is_missing then 0
            else points_f1
        end as value_f1,
        case
            when contribution <> 'counted' then null
            when is_missing then 0
            else points_f2
        end as value_f2
    from points_evaluations
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
        cast(value_hi as {{ fixed_int }}) * 1000000000000000000
        + value_f1 * 1000000000
        + value_f2 as value_units,
        -- The value kept to 12 decimals, half-even on the 8 digits dropped.
        value_hi * 10000000000
        + value_f1 * 10
        + (value_f2 - mod(value_f2, 100000000)) {{ exact_div }} 100000000
        + case
            when mod(value_f2, 100000000) > 50000000 then 1
            when mod(value_f2, 100000000) = 50000000
                and mod(
                    (value_f2 - mod(value_f2, 100000000))
                    {{ exact_div }} 100000000,
                    2
                ) = 1
                then 1
            else 0
        end as value_e12,
        case
            when contribution = 'extra_credit'
                then cast(points_hi as {{ fixed_int }}) * 1000000000000000000
                    + points_f1 * 1000000000
                    + points_f2
        end as extra_units
    from valued_limbs
)

select * from valued_evaluations
