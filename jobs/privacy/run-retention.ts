import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isoDate, type Logger, lakeZones } from '../../core/index.js';
import { SqliteLandingBuffer } from '../../pipelines/buffer/index.js';
import { privacyErrors } from './errors.js';
import { bufferDedupDays, rawFamilyDays, retentionDays } from './retention-rules.js';

export interface RunRetentionOptions {
  lakeRoot: string;
  /** The landing buffer's directory; its expired dedup ids are pruned. */
  bufferDir?: string;
  /** The day retention is computed from (`yyyy-mm-dd`, UTC); default today. */
  asOf?: string;
  /** List what would go, remove nothing. */
  isDryRun?: boolean;
  logger?: Logger;
}

/** One partition folder past its retention. */
export interface ExpiredPartition {
  path: string;
  date: string;
  retention_days: number;
}

export interface RetentionSummary {
  as_of: string;
  is_dry_run: boolean;
  partitions: ExpiredPartition[];
  /** Dedup ids pruned from the buffer; null on a dry run or without a buffer. */
  dedup_ids_pruned: number | null;
  duration_ms: number;
}

const datedFolder = /^(event_date|snapshot_date)=(\d{4}-\d{2}-\d{2})$/;

function subfolders(dir: string): string[] {
  if (!existsSync(dir)) return [];

  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function daysBefore(asOf: string, days: number): string {
  return new Date(Date.parse(`${asOf}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** Dated folders anywhere under `dir` older than `days` before `asOf`. */
function expiredUnder(dir: string, days: number, asOf: string): ExpiredPartition[] {
  const limit = daysBefore(asOf, days);
  const found: ExpiredPartition[] = [];
  for (const name of subfolders(dir)) {
    const date = datedFolder.exec(name)?.[2];
    if (date === undefined) found.push(...expiredUnder(join(dir, name), days, asOf));
    else if (date < limit) found.push({ path: join(dir, name), date, retention_days: days });
  }

  return found;
}

function expiredPartitions(lakeRoot: string, asOf: string): ExpiredPartition[] {
  const raw = join(lakeRoot, lakeZones.raw);
  const fromRaw = subfolders(raw).flatMap((family) => {
    const days = rawFamilyDays(family);

    return days === undefined ? [] : expiredUnder(join(raw, family), days, asOf);
  });
  const curated = join(lakeRoot, lakeZones.curated);

  return [...fromRaw, ...expiredUnder(curated, retentionDays.curated, asOf)];
}

function pruneBuffer(dir: string | undefined, asOf: string): number | null {
  if (!dir || !existsSync(join(dir, 'landing.sqlite'))) return null;
  const buffer = new SqliteLandingBuffer({ dir });
  try {
    return buffer.pruneDedup(new Date(`${daysBefore(asOf, bufferDedupDays)}T00:00:00Z`));
  } finally {
    buffer.close();
  }
}

/**
 * Enforces retention on the local lake as the S3 lifecycle does in the cloud:
 * deletes `event_date=` / `snapshot_date=` partitions older than their zone's
 * retention (raw behaviour 400 days, grades and audit 1,825, curated 400) and
 * prunes the buffer's expired dedup ids.
 *
 * @example
 * const summary = await runRetention({ lakeRoot: paths.lake, asOf: '2026-12-01', isDryRun: true });
 */
export async function runRetention(options: RunRetentionOptions): Promise<RetentionSummary> {
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  if (!isoDate.safeParse(asOf).success) {
    throw privacyErrors.create('PRIVACY_ERR_INVALID_REQUEST', 'Fix --as-of: use yyyy-mm-dd.');
  }
  const started = performance.now();
  const isDryRun = options.isDryRun ?? false;
  const partitions = expiredPartitions(options.lakeRoot, asOf);
  if (!isDryRun) {
    for (const partition of partitions) rmSync(partition.path, { recursive: true, force: true });
  }
  const pruned = isDryRun ? null : pruneBuffer(options.bufferDir, asOf);
  const durationMs = Math.round(performance.now() - started);
  options.logger?.info(
    {
      job: 'retention',
      partitions: partitions.length,
      is_dry_run: isDryRun,
      duration_ms: durationMs,
    },
    'retention applied',
  );

  return {
    as_of: asOf,
    is_dry_run: isDryRun,
    partitions,
    dedup_ids_pruned: pruned,
    duration_ms: durationMs,
  };
}
