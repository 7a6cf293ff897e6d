-- Raw audit events as landed by Firehose in the cloud or by the local lander:
-- the same Parquet columns (core rawEventColumns) and the same Hive layout.
-- Partitions are projected, never crawled: tenant_id is injected, so every
-- query must name its tenant (jobs run per tenant); event_date is a date
-- range covering 5 years, the audit retention.
-- Placeholders: {{ database }}, {{ lake_bucket }}.
create external table if not exists {{ database }}.raw_audit_events (
    event_id string,
    event_type string,
    schema_version int,
    occurred_at timestamp,
    received_at timestamp,
    actor_id string,
    actor_role string,
    student_id string,
    trace_id string,
    payload string
)
partitioned by (
    tenant_id string,
    event_date date
)
stored as parquet
location 's3://{{ lake_bucket }}/raw/audit/'
tblproperties (
    'parquet.compression' = 'SNAPPY',
    'projection.enabled' = 'true',
    'projection.tenant_id.type' = 'injected',
    'projection.event_date.type' = 'date',
    'projection.event_date.format' = 'yyyy-MM-dd',
    'projection.event_date.range' = 'NOW-5YEARS,NOW+1DAYS',
    'projection.event_date.interval' = '1',
    'projection.event_date.interval.unit' = 'DAYS',
    'storage.location.template' = 's3://{{ lake_bucket }}/raw/audit/tenant_id=${tenant_id}/event_date=${event_date}/'
)
