-- Mart: one consolidated grade per student, subject and period, with the
-- policy's rounding, failing grades reported as the minimum, and the
-- explanation as a JSON string (docs/grades.md, "Explanation").
with

subject_totals as (
    select * from {{ int_subject_totals }}
),

policy_params as (
    select * from {{ policy_params }}
),

totals_with_policy as (
    select
        subject_totals.*,
        policy_params.policy_id,
        policy_params.policy_version,
        policy_params.policy_hash,
        policy_params.decimals,
        policy_params.rounding,
        policy_params.missing_rule,
        policy_params.failing_as_min,
        policy_params.extra_max_text,
        cast(policy_params.scale_min_e2 as bigint) as scale_min_e2,
        cast(policy_params.scale_passing_e2 as bigint) as scale_passing_e2,
        -- From here on values are kept to 12 decimals and fit in 64 bits.
        case policy_params.decimals
            when 0 then cast(1000000000000 as bigint)
            when 1 then cast(100000000000 as bigint)
            else cast(10000000000 as bigint)
        end as rounding_step_e12
    from subject_totals
    inner join policy_params
        on subject_totals.tenant_id = policy_params.tenant_id
        and subject_totals.period_id = policy_params.period_id
),

floored_totals as (
    select
        *,
        (earned_units - mod(earned_units, 100000000))
        {{ exact_div }} 100000000
            as earned_floor_e12,
        mod(earned_units, 100000000) as earned_rest,
        (applied_units - mod(applied_units, 100000000))
        {{ exact_div }} 100000000
            as applied_floor_e12,
        mod(applied_units, 100000000) as applied_rest,
        (weighted_units - mod(weighted_units, 100000000))
        {{ exact_div }} 100000000
            as weighted_floor_e12,
        mod(weighted_units, 100000000) as weighted_rest,
        (final_units - mod(final_units, 100000000))
        {{ exact_div }} 100000000
            as final_floor_e12,
        mod(final_units, 100000000) as final_rest
    from totals_with_policy
),

kept_totals as (
    select
        *,
        cast(earned_floor_e12 + case
            when earned_rest > 50000000 then 1
            when earned_rest = 50000000 and mod(earned_floor_e12, 2) = 1 then 1
            else 0
        end as bigint) as earned_e12,
        cast(applied_floor_e12 + case
            when applied_rest > 50000000 then 1
            when applied_rest = 50000000 and mod(applied_floor_e12, 2) = 1
                then 1
            else 0
        end as bigint) as applied_e12,
        cast(weighted_floor_e12 + case
            when weighted_rest > 50000000 then 1
            when weighted_rest = 50000000 and mod(weighted_floor_e12, 2) = 1
                then 1
            else 0
        end as bigint) as weighted_e12,
        cast(final_floor_e12 + case
            when final_rest > 50000000 then 1
            when final_rest = 50000000 and mod(final_floor_e12, 2) = 1 then 1
            else 0
        end as bigint) as final_e12
    from floored_totals
),

rounding_parts as (
    select
        *,
        (final_e12 - mod(final_e12, rounding_step_e12))
        {{ exact_div }} rounding_step_e12 as rounded_base,
        mod(final_e12, rounding_step_e12) as rounded_rest
    from kept_totals
),

rounded_totals as (
    select
        *,
        {{ policy_rounding_e2 }} as rounded_e2
    from rounding_parts
),

reported_grades as (
    select
        *,
        rounded_e2 < scale_passing_e2 and failing_as_min as is_reported_as_min,
        case
            when rounded_e2 is null then null
            when rounded_e2 < scale_passing_e2 and failing_as_min
                then scale_min_e2
            else greatest(rounded_e2, scale_min_e2)
        end as grade_e2
    from rounded_totals
),

grade_texts as (
    select
        *,
        case
            when earned_e12 is null then null
            else cast(earned_e12 {{ exact_div }} 1000000000000 as varchar)
                || case
                    when mod(earned_e12, 1000000000000) = 0 then ''
                    else '.' || rtrim(lpad(
                        cast(mod(earned_e12, 1000000000000) as varchar), 12, '0'
                    ), '0')
                end
        end as earned_text,
        case
            when applied_e12 is null then null
            else cast(applied_e12 {{ exact_div }} 1000000000000 as varchar)
                || case
                    when mod(applied_e12, 1000000000000) = 0 then ''
                    else '.' || rtrim(lpad(
                        cast(mod(applied_e12, 1000000000000) as varchar),
                        12,
                        '0'
                    ), '0')
                end
        end as applied_text,
        case
            when weighted_e12 is null then null
            else cast(weighted_e12 {{ exact_div }} 1000000000000 as varchar)
                || case
                    when mod(weighted_e12, 1000000000000) = 0 then ''
                    else '.' || rtrim(lpad(
                        cast(mod(weighted_e12, 1000000000000) as varchar),
                        12,
                        '0'
                    ), '0')
                end
        end as weighted_text,
        case
            when final_e12 is null then null
            else cast(final_e12 {{ exact_div }} 1000000000000 as varchar)
                || case
                    when mod(final_e12, 1000000000000) = 0 then ''
                    else '.' || rtrim(lpad(
                        cast(mod(final_e12, 1000000000000) as varchar), 12, '0'
                    ), '0')
                end
        end as final_text,
        case
            when rounded_e2 is null then null
            when decimals = 0
                then cast(rounded_e2 {{ exact_div }} 100 as varchar)
            when decimals = 1
                then cast(rounded_e2 {{ exact_div }} 100 as varchar) || '.'
                    || substr(
                        lpad(cast(mod(rounded_e2, 100) as varchar), 2, '0'),
                        1,
                        1
                    )
            else cast(rounded_e2 {{ exact_div }} 100 as varchar) || '.'
                || lpad(cast(mod(rounded_e2, 100) as varchar), 2, '0')
        end as rounded_text,
        case
            when grade_e2 is null then null
            when decimals = 0
                then cast(grade_e2 {{ exact_div }} 100 as varchar)
            when decimals = 1
                then cast(grade_e2 {{ exact_div }} 100 as varchar) || '.'
                    || substr(
                        lpad(cast(mod(grade_e2, 100) as varchar), 2, '0'), 1, 1
                    )
            else cast(grade_e2 {{ exact_div }} 100 as varchar) || '.'
                || lpad(cast(mod(grade_e2, 100) as varchar), 2, '0')
        end as grade_text,
        cast(weight_total_e2 {{ exact_div }} 100 as varchar) || case
            when mod(weight_total_e2, 100) = 0 then ''
            else '.' || rtrim(
                lpad(cast(mod(weight_total_e2, 100) as varchar), 2, '0'), '0'
            )
        end as weight_total_text
    from reported_grades
),

explained_grades as (
    select
        *,
        -- One concat() call instead of a chain of ||: each || copies the
        -- string built so far. No argument is null (every nullable text is
        -- wrapped in coalesce), so DuckDB and Athena agree.
        concat(
            '{"policy":{"id":"', policy_id,
            '","version":', cast(policy_version as varchar),
            ',"hash":"', policy_hash,
            '"},"status":"', case
                when final_e12 is null then 'no_counted_values'
                else 'graded'
            end,
            '","categories":', categories_json,
            ',"missing":{"rule":"', missing_rule,
            '","evaluation_ids":[', missing_ids_json,
            ']},"extra_credit":{"max_points":"', extra_max_text,
            '","earned":"', earned_text,
            '","applied":"', applied_text,
            '","evaluation_ids":[', extra_ids_json,
            ']},"ignored":[', ignored_json,
            '],"weight_total":"', weight_total_text,
            '","weighted_average":',
            coalesce('"' || weighted_text || '"', 'null'),
            ',"capped_at_max":',
            case when is_capped then 'true' else 'false' end,
            ',"unrounded":', coalesce('"' || final_text || '"', 'null'),
            ',"rounding":{"mode":"', rounding,
            '","decimals":', cast(decimals as varchar),
            ',"result":', coalesce('"' || rounded_text || '"', 'null'),
            '},"failing_reported_as_min":',
            case when is_reported_as_min then 'true' else 'false' end,
            ',"grade":', coalesce('"' || grade_text || '"', 'null'),
            ',"computed_at":"', {{ computed_at }}, '"}'
        ) as explanation
    from grade_texts
),

consolidated_grades as (
    select
        tenant_id,
        period_id,
        student_id,
        subject_code,
        cast(grade_text as decimal(8, 2)) as grade,
        grade_text,
        cast(final_text as decimal(18, 12)) as grade_unrounded,
        grade_e2 >= scale_passing_e2 as is_passing,
        policy_id,
        policy_version,
        policy_hash,
        explanation,
        cast({{ computed_at }} as timestamp) as computed_at
    from explained_grades
)

select * from consolidated_grades
