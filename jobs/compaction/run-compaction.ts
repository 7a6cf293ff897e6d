import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Logger, lakeZones } from '../../core/index.js';
import { SqliteLandingBuffer } from '../../pipelines/buffer/index.js';
import { DuckDbEngine } from '../engine/index.js';
import {
  type AfterStep,
  compactPartition,
  type PartitionContext,
  type PartitionOutcome,
} from './compact-partition.js';
import { CompactionLock } from './compaction-lock.js';
import {
  type CompactionOptionValues,
  type CompactionSettings,
  compactionSettings,
} from './compaction-options.js';
import type { SeqRange } from './file-names.js';
import { logOutcome } from './outcome-log.js';
import { closedPartitions } from './partitions.js';

export interface RunCompactionOptions extends CompactionOptionValues {
  lakeRoot: string;
  /**
   * The landing buffer's folder: a partition holding a file of the range a
   * lander has claimed is left for the next run. Without it, a file the
   * lander publishes again after a compaction is caught by the next run.
   */
  bufferDir?: string;
  /** List what would be done; change nothing (no lock taken). */
  isDryRun?: boolean;
  logger?: Logger;
  /** After each partition: partitions done and in all. */
  onProgress?: (done: number, total: number) => void;
  afterStep?: AfterStep;
}

export interface CompactionSummary {
  lake_root: string;
  as_of: string;
  /** The last event date compacted (`as_of` less `--min-age-days`). */
  closed_through: string;
  is_dry_run: boolean;
  partitions_scanned: number;
  /** Compacted, or on a dry run would be. */
  partitions_compacted: number;
  partitions_skipped: number;
  partitions_failed: number;
  partitions_recovered: number;
  files_in: number;
  files_out: number;
  files_relanded: number;
  rows: number;
  bytes_before: number;
  bytes_after: number;
  duration_ms: number;
  /** Every partition the run did or would do something with, or left for a reason. */
  partitions: PartitionOutcome[];
}

interface ClaimReader {
  openClaim(): SeqRange | null;
  close(): void;
}

function claimReader(bufferDir: string | undefined): ClaimReader {
  if (!bufferDir || !existsSync(join(bufferDir, 'landing.sqlite'))) {
    return { openClaim: () => null, close: () => {} };
  }
  const buffer = new SqliteLandingBuffer({ dir: bufferDir });

  return {
    openClaim: () => {
      const claim = buffer.openClaim();

      return claim && { first: claim.firstSeq, last: claim.lastSeq };
    },
    close: () => buffer.close(),
  };
}

function sum(outcomes: readonly PartitionOutcome[], pick: (o: PartitionOutcome) => number) {
  return outcomes.reduce((total, outcome) => total + pick(outcome), 0);
}

function summarize(
  outcomes: readonly PartitionOutcome[],
  base: Pick<CompactionSummary, 'lake_root' | 'as_of' | 'closed_through' | 'is_dry_run'>,
  durationMs: number,
): CompactionSummary {
  const done = outcomes.filter((o) => o.status === 'compacted' || o.status === 'would_compact');
  const count = (status: PartitionOutcome['status']) =>
    outcomes.filter((o) => o.status === status).length;

  return {
    ...base,
    partitions_scanned: outcomes.length,
    partitions_compacted: done.length,
    partitions_skipped: count('skipped'),
    partitions_failed: count('failed'),
    partitions_recovered: outcomes.filter((o) => o.recovery !== undefined).length,
    files_in: sum(done, (o) => o.files_in),
    files_out: count('compacted'),
    files_relanded: sum(outcomes, (o) => o.files_relanded),
    rows: sum(done, (o) => o.rows_in),
    bytes_before: sum(done, (o) => o.bytes_in),
    bytes_after: sum(done, (o) => o.bytes_out),
    duration_ms: durationMs,
    partitions: outcomes.filter(
      (o) => o.status !== 'unchanged' || o.recovery !== undefined || o.files_relanded > 0,
    ),
  };
}

/** Every closed partition in scope, one after the other, on one DuckDB engine. */
async function compactAll(
  settings: CompactionSettings,
  options: RunCompactionOptions,
  claims: ClaimReader,
): Promise<PartitionOutcome[]> {
  const partitions = closedPartitions(options.lakeRoot, settings.closedThrough, settings.tenantId);
  const engine = await DuckDbEngine.open({ threads: settings.threads });
  const context: PartitionContext = {
    engine,
    lakeRoot: options.lakeRoot,
    minFiles: settings.minFiles,
    isDryRun: options.isDryRun ?? false,
    openClaim: () => claims.openClaim(),
    afterStep: options.afterStep,
  };
  const outcomes: PartitionOutcome[] = [];
  try {
    for (const partition of partitions) {
      const outcome = await compactPartition(context, partition);
      if (options.logger) logOutcome(options.logger, outcome, context.isDryRun);
      outcomes.push(outcome);
      options.onProgress?.(outcomes.length, partitions.length);
    }
  } finally {
    await engine.close();
  }

  return outcomes;
}

/**
 * Compacts the closed raw partitions of the lake (grade and behaviour; every
 * day at least `minAgeDays` before `asOf`, UTC): each partition with at least
 * `minFiles` files becomes one zstd Parquet file sorted by student, time and
 * event id, with exactly the rows of its inputs. Crash-safe and idempotent
 * (manifest before the swap, recovery on the next run), one run per lake at
 * a time. See docs/adr/0096-raw-partition-compaction.md.
 *
 * @example
 * const summary = await runCompaction({ lakeRoot: paths.lake, bufferDir: paths.buffer });
 * console.log(summary.files_in, '->', summary.files_out);
 */
export async function runCompaction(options: RunCompactionOptions): Promise<CompactionSummary> {
  const settings = compactionSettings(options);
  const started = performance.now();
  const isDryRun = options.isDryRun ?? false;
  const lock = isDryRun ? undefined : CompactionLock.acquire(options.lakeRoot);
  const claims = claimReader(options.bufferDir);
  let outcomes: PartitionOutcome[];
  try {
    outcomes = await compactAll(settings, options, claims);
  } finally {
    claims.close();
    lock?.release();
  }
  const summary = summarize(
    outcomes,
    {
      lake_root: join(options.lakeRoot, lakeZones.raw),
      as_of: settings.asOf,
      closed_through: settings.closedThrough,
      is_dry_run: isDryRun,
    },
    Math.round(performance.now() - started),
  );
  const { partitions: _listed, ...totals } = summary;
  options.logger?.info({ job: 'compaction', ...totals }, 'compaction finished');

  return summary;
}
