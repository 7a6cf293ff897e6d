import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventFamily } from './event-catalogue.js';

/**
 * The lake's layout, identical on local disk and on S3 (see docs/lake-layout.md):
 *
 *   raw/<family>/tenant_id=<t>/event_date=<yyyy-mm-dd>/<file>.parquet
 *   curated/<dataset>/...              (jobs' outputs)
 *   cutoffs/tenant_id=<t>/...          (frozen cutoff files and manifests)
 *   control/erasures/tenant_id=<t>/... (the erasure register, pseudonyms only)
 */
export const lakeZones = {
  raw: 'raw',
  curated: 'curated',
  cutoffs: 'cutoffs',
  control: 'control',
} as const;

/** Columns of every raw Parquet file, in order (partition columns excluded). */
export const rawEventColumns = [
  'event_id',
  'event_type',
  'schema_version',
  'occurred_at',
  'received_at',
  'actor_id',
  'actor_role',
  'student_id',
  'trace_id',
  'payload',
] as const;

export function rawPartitionDir(
  lakeRoot: string,
  family: EventFamily,
  tenantId: string,
  eventDate: string,
): string {
  return join(lakeRoot, lakeZones.raw, family, `tenant_id=${tenantId}`, `event_date=${eventDate}`);
}

/** Glob DuckDB reads a raw family with (`hive_partitioning = true`). */
export function rawFamilyGlob(lakeRoot: string, family: EventFamily): string {
  return join(lakeRoot, lakeZones.raw, family, '*', '*', '*.parquet');
}

export function curatedDir(lakeRoot: string, dataset: string): string {
  return join(lakeRoot, lakeZones.curated, dataset);
}

/**
 * The values of the Hive `<key>=<value>` folders directly under `dir`, sorted
 * (empty when `dir` does not exist): the tenants of a family, the days of a
 * tenant.
 */
export function hiveFolderValues(dir: string, key: string): string[] {
  if (!existsSync(dir)) return [];
  const prefix = `${key}=`;

  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith(prefix))
    .map((entry) => entry.name.slice(prefix.length))
    .sort();
}
