import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hiveFolderValues, lakeZones } from '../../core/index.js';
import { athenaRawTables, sqlString } from '../engine/index.js';
import { lookbackDays } from './catalogue.js';
import { addDays } from './models.js';

/** The raw partitions one run reads, and their size on disk. */
export interface FeatureSource {
  /** SQL relation for `{{ raw_behaviour }}`: the raw columns and `event_key_hash`. */
  relation: string;
  /** Parquet files in the pruned partitions. */
  files: string[];
  /** Sum of those files' sizes: an upper bound of what DuckDB reads. */
  bytes: number;
}

/**
 * UTC partition dates that can hold events of local days `as_of - 29` to
 * `as_of`: a local day (UTC-6) ends at 06:00 UTC of the next UTC date.
 */
export function partitionDates(asOf: string): { first: string; last: string } {
  return { first: addDays(asOf, -(lookbackDays - 1)), last: addDays(asOf, 1) };
}

function parquetFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];

  return readdirSync(dir)
    .filter((name) => name.endsWith('.parquet'))
    .sort()
    .map((name) => join(dir, name));
}

/** The tenants with behaviour events in the lake, sorted. */
export function lakeTenants(lakeRoot: string): string[] {
  return hiveFolderValues(join(lakeRoot, lakeZones.raw, 'behaviour'), 'tenant_id');
}

/**
 * A 64-bit hash of (tenant_id, event_id), as the column `event_key_hash` of
 * both relations: staging compares event ids exactly only where two rows
 * share a hash (hashing 2 million ids and grouping the numbers cost less
 * than grouping the ids themselves; docs/adr/0080).
 */
const eventKeyHash = {
  duckdb: 'hash(tenant_id, event_id)',
  athena: "from_big_endian_64(xxhash64(to_utf8(concat(tenant_id, '/', event_id))))",
} as const;

/**
 * DuckDB relation over ONE tenant's behaviour partitions in the lookback.
 * Reading only that tenant's folder is what keeps tenants apart; listing the
 * partitions here (instead of filtering after a glob) is the partition pruning.
 * Returns null when there is nothing to read.
 */
export function duckdbFeatureSource(
  lakeRoot: string,
  tenantId: string,
  asOf: string,
): FeatureSource | null {
  const { first, last } = partitionDates(asOf);
  const tenantDir = join(lakeRoot, lakeZones.raw, 'behaviour', `tenant_id=${tenantId}`);
  const files: string[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    files.push(...parquetFiles(join(tenantDir, `event_date=${date}`)));
  }
  if (files.length === 0) return null;

  const bytes = files.reduce((total, file) => total + statSync(file).size, 0);
  const list = `[${files.map(sqlString).join(', ')}]`;
  const read = `read_parquet(${list}, hive_partitioning = true, union_by_name = true)`;
  // The lander writes UTC-adjusted Parquet timestamps, which DuckDB reads as
  // TIMESTAMPTZ; arithmetic on those goes through ICU and is several times
  // slower. Plain UTC TIMESTAMPs match the Athena table's column type too.
  const replace = [
    'cast(event_date as date) as event_date',
    'make_timestamp(epoch_us(occurred_at)) as occurred_at',
    'make_timestamp(epoch_us(received_at)) as received_at',
  ].join(', ');
  const relation = `(select * replace (${replace}), ${eventKeyHash.duckdb} as event_key_hash from ${read})`;

  return { relation, files, bytes };
}

/** The same relation on Athena: partition projection prunes on these predicates. */
export function athenaFeatureRelation(tenantId: string, asOf: string): string {
  const { first, last } = partitionDates(asOf);

  return [
    `(select *, ${eventKeyHash.athena} as event_key_hash from ${athenaRawTables.behaviour}`,
    `where tenant_id = ${sqlString(tenantId)}`,
    `and event_date between date ${sqlString(first)} and date ${sqlString(last)})`,
  ].join(' ');
}
