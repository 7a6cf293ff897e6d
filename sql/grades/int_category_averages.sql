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

ranked_values as (
    select
        evaluation_values.*,
        policy_categories.drop_lowest,
        row_number() over (
            partition by
                evaluation_values.tenant_id,
                evaluation_values.period_id,
                evaluation_values.student_id,
                evaluation_values.subject_code,
                evaluation_values.category
            order by
                evaluation_values.value_units,
                evaluation_values.evaluation_id
        ) as value_rank,
        count(*) over (
            partition by
                evaluation_values.tenant_id,
                evaluation_values.period_id,
                evaluation_values.student_id,
                evaluation_values.subject_code,
                evaluation_values.category
        ) as values_count
    from evaluation_values
    inner join policy_categories
        on evaluation_values.tenant_id = policy_categories.tenant_id
        and evaluation_values.period_id = policy_categories.period_id
        and evaluation_values.category = policy_categories.category_id
    where evaluation_values.contribution = 'counted'
),

kept_values as (
    select
        *,
        value_rank <= least(drop_lowest, values_count - 1) as is_dropped
    from ranked_values
),

value_texts as (
    select
        *,
        '{"evaluation_id":"' || evaluation_id || '","value":"'
        || cast(value_e12 {{ exact_div }} 1000000000000 as varchar)
        || case
            when mod(value_e12, 1000000000000) = 0 then ''
            else '.' || rtrim(
                lpad(cast(mod(value_e12, 1000000000000) as varchar), 12, '0'),
                '0'
            )
        end
        || '"}' as value_json
    from kept_values
),

category_values as (
    select
        tenant_id,
        period_id,
        student_id,
        subject_code,
        category,
        sum(value_units) filter (where not is_dropped) as kept_sum_units,
        count(*) filter (where not is_dropped) as kept_count,
        {{ join_array }}(
            array_agg(value_json order by evaluation_id)
                filter (where not is_dropped),
            ','
        ) as values_json,
        {{ join_array }}(
            array_agg(value_json order by value_rank) filter (where is_dropped),
            ','
        ) as dropped_json
    from value_texts
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
        coalesce(category_values.dropped_json, '') as dropped_json
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
)

select * from category_averages
