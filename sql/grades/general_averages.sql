-- Mart: per student and period, the mean of the reported grades of the
-- subjects that have one and are not in `excluded_from_average`, kept to 12
-- decimals and rounded like a subject grade (no failing-as-minimum step).
with

consolidated_grades as (
    select * from {{ consolidated_grades }}
),

policy_params as (
    select * from {{ policy_params }}
),

policy_excluded_subjects as (
    select * from {{ policy_excluded_subjects }}
),

averaged_grades as (
    select consolidated_grades.*
    from consolidated_grades
    left join policy_excluded_subjects
        on consolidated_grades.tenant_id = policy_excluded_subjects.tenant_id
        and consolidated_grades.period_id = policy_excluded_subjects.period_id
        and consolidated_grades.subject_code
        = policy_excluded_subjects.subject_code
    where consolidated_grades.grade is not null
        and policy_excluded_subjects.subject_code is null
),

student_sums as (
    select
        tenant_id,
        period_id,
        student_id,
        max(policy_id) as policy_id,
        max(policy_version) as policy_version,
        max(policy_hash) as policy_hash,
        max(computed_at) as computed_at,
        count(*) as subjects_count,
        {{ join_array }}(
            array_agg(subject_code order by subject_code), ','
        ) as subject_codes,
        sum(cast(grade * 100 as {{ fixed_int }})) * 10000000000 as sum_e12
    from averaged_grades
    group by tenant_id, period_id, student_id
),

mean_parts as (
    select
        student_sums.*,
        policy_params.decimals,
        policy_params.rounding,
        (sum_e12 - mod(sum_e12, subjects_count)) {{ exact_div }} subjects_count
            as mean_floor_e12,
        mod(sum_e12, subjects_count) as mean_rest,
        case policy_params.decimals
            when 0 then cast(1000000000000 as {{ fixed_int }})
            when 1 then cast(100000000000 as {{ fixed_int }})
            else cast(10000000000 as {{ fixed_int }})
        end as rounding_step_e12
    from student_sums
    inner join policy_params
        on student_sums.tenant_id = policy_params.tenant_id
        and student_sums.period_id = policy_params.period_id
),

kept_means as (
    select
        *,
        mean_floor_e12 + case
            when mean_rest * 2 > subjects_count then 1
            when mean_rest * 2 = subjects_count and mod(mean_floor_e12, 2) = 1
                then 1
            else 0
        end as mean_e12
    from mean_parts
),

rounding_parts as (
    select
        *,
        (mean_e12 - mod(mean_e12, rounding_step_e12))
        {{ exact_div }} rounding_step_e12 as rounded_base,
        mod(mean_e12, rounding_step_e12) as rounded_rest
    from kept_means
),

rounded_means as (
    select
        *,
        {{ policy_rounding_e2 }} as average_e2
    from rounding_parts
),

general_averages as (
    select
        tenant_id,
        period_id,
        student_id,
        case
            when decimals = 0
                then cast(average_e2 {{ exact_div }} 100 as varchar)
            when decimals = 1
                then cast(average_e2 {{ exact_div }} 100 as varchar) || '.'
                    || substr(
                        lpad(cast(mod(average_e2, 100) as varchar), 2, '0'),
                        1,
                        1
                    )
            else cast(average_e2 {{ exact_div }} 100 as varchar) || '.'
                || lpad(cast(mod(average_e2, 100) as varchar), 2, '0')
        end as general_average_text,
        cast(mean_e12 {{ exact_div }} 1000000000000 as varchar) || case
            when mod(mean_e12, 1000000000000) = 0 then ''
            else '.' || rtrim(lpad(
                cast(mod(mean_e12, 1000000000000) as varchar), 12, '0'
            ), '0')
        end as unrounded_text,
        subjects_count,
        subject_codes,
        policy_id,
        policy_version,
        policy_hash,
        computed_at
    from rounded_means
)

select
    tenant_id,
    period_id,
    student_id,
    cast(general_average_text as decimal(8, 2)) as general_average,
    general_average_text,
    cast(unrounded_text as decimal(18, 12)) as general_average_unrounded,
    subjects_count,
    subject_codes,
    policy_id,
    policy_version,
    policy_hash,
    computed_at
from general_averages
