-- pub_mastery_topics: the topics a tenant's mastery rows name, in order.
with

student_features as (
    select * from {{ student_features }}
),

mastery_topics as (
    select distinct topic_id
    from student_features
    where feature_id = 'mastery'
)

select * from mastery_topics order by topic_id
