-- One row per student, subject, period and policy category: the values kept,
-- the ones dropped by `drop_lowest` (never the last one) and their mean.
with

evaluation_values as (
    select * from {{ int_evaluation_values }}
),

policy_categories as (
    select * from {{ policy_categories }}
),

graded_subjects as (
    select distinct tenant_id, period_id, student_id, subject_code
    from evaluation_values
),

counted_values as (
    select
        evaluation_values.*,
        policy_categories.drop_lowest,
        concat(
            '{"evaluation_id":"', evaluation_values.evaluation_id,
            '","value":"',
            cast(
                evaluation_values.value_e12 {{ exact_div }} 1000000000000
                as varchar
            ),
            case
                when mod(evaluation_values.value_e12, 1000000000000) = 0
                    then ''
                else '.' || rtrim(
                    lpad(
                        cast(
                            mod(evaluation_values.value_e12, 1000000000000)
                            as varchar
                        ),
                        12,
                        '0'
                    ),
                    '0'
                )
            end,
            '"}'
        ) as value_json
    from evaluation_values
    inner join policy_categories
        on evaluation_values.tenant_id = policy_categories.tenant_id
        and evaluation_values.period_id = policy_categories.period_id
        and evaluation_values.category = policy_categories.category_id
    where evaluation_values.contribution = 'counted'
),

-- Only categories that drop values need ranking: the window (a sort of
-- every value) is skipped for the others.
ranked_values as (
    select
        *,
        row_number() over (
            partition by
                tenant_id,
                period_id,
                student_id,
                subject_code,
                category
            order by value_units, evaluation_id
        ) as value_rank,
        count(*) over (
            partition by
                tenant_id,
                period_id,
                student_id,
                subject_code,
                category
        ) as values_count
    from counted_values
    where drop_lowest > 0
),

kept_values as (
    select
        tenant_id,
        period_id,
        student_id,
        subject_code,
        category,
        value_units,
        value_json
    from counted_values
    where drop_lowest = 0
    union all
    select
        tenant_id,
        period_id,
        student_id,
        subject_code,
        category,
        value_units,
        value_json
    from ranked_values
    where value_rank > least(drop_lowest, values_count - 1)
),

-- A value is never dropped when it is its category's last one, so every
-- category with a counted value has a kept one.
category_values as (
    select
        tenant_id,
        period_id,
        student_id,
        subject_code,
        category,
        sum(value_units) as kept_sum_units,
        count(*) as kept_count,
        -- Sorting the texts sorts by evaluation id: each starts with the id
        -- and a quote, and ids hold no character below '-' (core/contracts).
        -- array_sort is much cheaper than an ordered aggregate.
        {{ join_array }}(array_sort(array_agg(value_json)), ',')
            as values_json
    from kept_values
    group by tenant_id, period_id, student_id, subject_code, category
),

-- Few rows: at most `drop_lowest` per category.
category_dropped as (
    select
        tenant_id,
        period_id,
        student_id,
        subject_code,
        category,
        {{ join_array }}(array_agg(value_json order by value_rank), ',')
            as dropped_json
    from ranked_values
    where value_rank <= least(drop_lowest, values_count - 1)
    group by tenant_id, period_id, student_id, subject_code, category
),

category_averages as (
    select
        graded_subjects.tenant_id,
        graded_subjects.period_id,
        graded_subjects.student_id,
        graded_subjects.subject_code,
        policy_categories.category_id,
        policy_categories.category_position,
        cast(policy_categories.weight_e2 as {{ fixed_int }}) as weight_e2,
        policy_categories.weight_text,
        category_values.kept_count is not null as is_applied,
        (
            category_values.kept_sum_units
            - mod(category_values.kept_sum_units, category_values.kept_count)
        ) {{ exact_div }} category_values.kept_count as average_units,
        coalesce(category_values.values_json, '') as values_json,
        coalesce(category_dropped.dropped_json, '') as dropped_json
    from graded_subjects
    inner join policy_categories
        on graded_subjects.tenant_id = policy_categories.tenant_id
        and graded_subjects.period_id = policy_categories.period_id
    left join category_values
        on graded_subjects.tenant_id = category_values.tenant_id
        and graded_subjects.period_id = category_values.period_id
        and graded_subjects.student_id = category_values.student_id
        and graded_subjects.subject_code = category_values.subject_code
        and policy_categories.category_id = category_values.category
    left join category_dropped
        on category_values.tenant_id = category_dropped.tenant_id
        and category_values.period_id = category_dropped.period_id
        and category_values.student_id = category_dropped.student_id
        and category_values.subject_code = category_dropped.subject_code
        and category_values.category = category_dropped.category
)

select * from category_averages
