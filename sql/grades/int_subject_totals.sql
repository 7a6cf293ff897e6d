-- One row per student, subject and period: the weighted average over the
-- categories with a counted value, extra credit (capped at `max_points`), the
-- cap at `scale.max`, and every value kept to 12 decimals (half-even).
with

evaluation_values as (
    select * from {{ int_evaluation_values }}
),

category_averages as (
    select * from {{ int_category_averages }}
),

policy_params as (
    select * from {{ policy_params }}
),

category_rounded_averages as (
    select
        *,
        cast(
            (average_units - mod(average_units, 100000000))
            {{ exact_div }} 100000000
            + case
                when mod(average_units, 100000000) > 50000000 then 1
                when mod(average_units, 100000000) = 50000000
                    and mod(
                        (average_units - mod(average_units, 100000000))
                        {{ exact_div }} 100000000,
                        2
                    ) = 1
                    then 1
                else 0
            end
            as bigint
        ) as average_e12
    from category_averages
),

category_texts as (
    select
        *,
        -- One concat() instead of a chain of || (no argument is null).
        concat(
            '{"id":"', category_id,
            '","weight":"', weight_text,
            '","applied":', case when is_applied then 'true' else 'false' end,
            ',"average":', case
                when average_e12 is null then 'null'
                else concat(
                    '"',
                    cast(average_e12 {{ exact_div }} 1000000000000 as varchar),
                    case
                        when mod(average_e12, 1000000000000) = 0 then ''
                        else '.' || rtrim(lpad(
                            cast(mod(average_e12, 1000000000000) as varchar),
                            12,
                            '0'
                        ), '0')
                    end,
                    '"'
                )
            end,
            ',"values":[', values_json,
            '],"dropped":[', dropped_json, ']}'
        ) as category_json
    from category_rounded_averages
),

category_rollups as (
    select
        tenant_id,
        period_id,
        student_id,
        subject_code,
        coalesce(sum(weight_e2) filter (where is_applied), 0)
            as weight_total_e2,
        sum(weight_e2 * average_units) filter (where is_applied)
            as weighted_numerator,
        '[' || {{ join_array }}(
            array_agg(category_json order by category_position), ','
        ) || ']' as categories_json
    from category_texts
    group by tenant_id, period_id, student_id, subject_code
),

evaluation_rollups as (
    select
        tenant_id,
        period_id,
        student_id,
        subject_code,
        coalesce(sum(extra_units), 0) as earned_units,
        -- array_sort instead of ordered aggregates (much cheaper): ids hold
        -- no character below '-' (core/contracts), so sorting the ids, or
        -- texts that start with the id and a quote, sorts by evaluation id.
        coalesce('"' || {{ join_array }}(
            array_sort(
                array_agg(evaluation_id)
                    filter (where contribution = 'extra_credit')
            ),
            '","'
        ) || '"', '') as extra_ids_json,
        coalesce('"' || {{ join_array }}(
            array_sort(
                array_agg(evaluation_id) filter (
                    where is_missing
                    and contribution in ('counted', 'missing_excluded')
                )
            ),
            '","'
        ) || '"', '') as missing_ids_json,
        coalesce({{ join_array }}(
            array_sort(
                array_agg(
                    '{"evaluation_id":"' || evaluation_id
                    || '","reason":"' || ignored_reason || '"}'
                ) filter (where contribution = 'ignored')
            ),
            ','
        ), '') as ignored_json
    from evaluation_values
    -- Only these rows feed the rollups (a small share of all evaluations):
    -- subjects without any get the empty defaults in subject_sums.
    where contribution <> 'counted' or is_missing
    group by tenant_id, period_id, student_id, subject_code
),

subject_sums as (
    select
        category_rollups.tenant_id,
        category_rollups.period_id,
        category_rollups.student_id,
        category_rollups.subject_code,
        coalesce(evaluation_rollups.earned_units, 0) as earned_units,
        coalesce(evaluation_rollups.extra_ids_json, '') as extra_ids_json,
        coalesce(evaluation_rollups.missing_ids_json, '')
            as missing_ids_json,
        coalesce(evaluation_rollups.ignored_json, '') as ignored_json,
        category_rollups.weight_total_e2,
        category_rollups.categories_json,
        case
            when category_rollups.weight_total_e2 > 0
                then (
                    category_rollups.weighted_numerator
                    - mod(
                        category_rollups.weighted_numerator,
                        category_rollups.weight_total_e2
                    )
                ) {{ exact_div }} category_rollups.weight_total_e2
        end as weighted_units,
        least(
            coalesce(evaluation_rollups.earned_units, 0),
            cast(policy_params.extra_max_e2 as {{ fixed_int }})
            * 1000000000000000000
        ) as applied_units,
        cast(policy_params.scale_max_e2 as {{ fixed_int }})
        * 1000000000000000000 as scale_max_units
    from category_rollups
    left join evaluation_rollups
        on category_rollups.tenant_id = evaluation_rollups.tenant_id
        and category_rollups.period_id = evaluation_rollups.period_id
        and category_rollups.student_id = evaluation_rollups.student_id
        and category_rollups.subject_code = evaluation_rollups.subject_code
    inner join policy_params
        on category_rollups.tenant_id = policy_params.tenant_id
        and category_rollups.period_id = policy_params.period_id
),

subject_totals as (
    select
        *,
        weighted_units + applied_units > scale_max_units as is_capped,
        -- least() skips nulls on DuckDB, not on Athena: keep nulls explicit.
        case
            when weighted_units is not null
                then least(weighted_units + applied_units, scale_max_units)
        end as final_units
    from subject_sums
)

select * from subject_totals
