import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventFamilies, lakeZones } from '../../core/index.js';
import { sqlString, type SqlVars } from './sql-template.js';

/** Glue/Athena names of the raw tables, matching `sql/athena/` DDL. */
export const athenaRawTables = {
  grade: 'luca_lake.raw_grade_events',
  behaviour: 'luca_lake.raw_behaviour_events',
  audit: 'luca_lake.raw_audit_events',
} as const;

/** An empty relation with the raw columns, for a family with no files yet. */
const emptyRawRelation = `(
    select
        cast(null as varchar) as event_id,
        cast(null as varchar) as event_type,
        cast(null as integer) as schema_version,
        cast(null as timestamp with time zone) as occurred_at,
        cast(null as timestamp with time zone) as received_at,
        cast(null as varchar) as actor_id,
        cast(null as varchar) as actor_role,
        cast(null as varchar) as student_id,
        cast(null as varchar) as trace_id,
        cast(null as varchar) as payload,
        cast(null as varchar) as tenant_id,
        cast(null as date) as event_date
    where false
)`;

/** True when `dir` holds at least one `.parquet` file at any depth. */
export function hasParquet(dir: string): boolean {
  if (!existsSync(dir)) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.parquet')) return true;
    if (entry.isDirectory() && hasParquet(join(dir, entry.name))) return true;
  }

  return false;
}

/** DuckDB `read_parquet` over a Hive-partitioned directory (any depth of `k=v` folders). */
export function duckdbParquetRelation(dir: string, depth: number): string {
  const glob = join(dir, ...Array.from({ length: depth }, () => '*'), '*.parquet');

  return `read_parquet(${sqlString(glob)}, hive_partitioning = true, union_by_name = true)`;
}

/**
 * Placeholder values naming the raw tables for DuckDB over a local lake:
 * `raw_grade`, `raw_behaviour`, `raw_audit`.
 */
export function duckdbRawRelations(lakeRoot: string): SqlVars {
  const vars: Record<string, string> = {};
  for (const family of eventFamilies) {
    const dir = join(lakeRoot, lakeZones.raw, family);
    vars[`raw_${family}`] = hasParquet(dir)
      ? `(select * replace (cast(event_date as date) as event_date) from ${duckdbParquetRelation(dir, 2)})`
      : emptyRawRelation;
  }

  return vars;
}

/** The same placeholders for Athena. */
export function athenaRawRelations(): SqlVars {
  return {
    raw_grade: athenaRawTables.grade,
    raw_behaviour: athenaRawTables.behaviour,
    raw_audit: athenaRawTables.audit,
  };
}
