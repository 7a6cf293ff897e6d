import type { Command } from 'commander';
import { createLogger } from '../../core/index.js';
import {
  type CompactionSummary,
  compactionDefaults,
  compactionErrors,
  type PartitionOutcome,
  runCompaction,
} from '../../jobs/compaction/index.js';
import { checkedNumber } from '../options.js';
import { action, exitTwoOnUsageError, pathsOf } from '../program.js';
import { progressReporter } from './progress.js';

interface CompactFlags {
  asOf?: string;
  minAgeDays?: string;
  minFiles?: string;
  tenant?: string;
  threads?: string;
  dryRun?: boolean;
}

/** A flag's value as a whole number, or `COMPACTION_ERR_INVALID_OPTION` naming the flag. */
function wholeNumber(flag: string, value: string | undefined): number | undefined {
  return checkedNumber(flag, value, { whole: true, min: 0 }, (message) =>
    compactionErrors.create('COMPACTION_ERR_INVALID_OPTION', message),
  );
}

/** `512.0 KB` under a MiB, else `3.4 MB`. */
function size(bytes: number): string {
  return bytes < 1_048_576
    ? `${(bytes / 1024).toFixed(1)} KB`
    : `${(bytes / 1_048_576).toFixed(1)} MB`;
}

function outcomeLine(o: PartitionOutcome): string {
  const files = `${o.files_in} files, ${o.rows_in} rows, ${size(o.bytes_in)}`;
  const recovered = o.recovery ? ` (interrupted compaction ${o.recovery.replace('_', ' ')})` : '';
  if (o.status === 'would_compact') return `would compact ${o.partition}: ${files}${recovered}`;
  if (o.status === 'skipped') return `skipped ${o.partition}: ${o.reason}${recovered}`;
  if (o.status === 'failed') {
    return `failed ${o.partition}: ${o.error_code ?? 'error'} ${o.error?.message ?? ''}${recovered}`;
  }
  if (o.status === 'compacted') {
    const erased = o.erased_rows_left
      ? `; ${o.erased_rows_left} rows of a student erased meanwhile: run luca erase again`
      : '';
    return `compacted ${o.partition}: ${files} -> 1 file, ${size(o.bytes_out)}${recovered}${erased}`;
  }

  return `${o.recovery ? 'would finish' : 'left'} ${o.partition}${recovered}`;
}

/** The closing lines: what was (or would be) done, in how long, where. */
function summaryLine(s: CompactionSummary): string {
  const verb = s.is_dry_run ? 'would compact' : 'compacted';
  const bytes = s.is_dry_run
    ? size(s.bytes_before)
    : `${size(s.bytes_before)} -> ${size(s.bytes_after)}`;

  return (
    `compaction as of ${s.as_of} (days through ${s.closed_through}): ` +
    `${s.partitions_scanned} partitions scanned, ${verb} ${s.partitions_compacted}, ` +
    `${s.partitions_skipped} skipped, ${s.partitions_failed} failed, ` +
    `${s.partitions_recovered} recovered; ` +
    `files ${s.files_in} -> ${s.is_dry_run ? s.partitions_compacted : s.files_out}` +
    ` (${s.files_relanded} re-landed deleted), ${s.rows} rows, ${bytes}, ` +
    `${(s.duration_ms / 1000).toFixed(2)} s -> ${s.lake_root}\n`
  );
}

function printSummary(summary: CompactionSummary): void {
  const listed = summary.partitions.filter(
    (o) => summary.is_dry_run || o.status !== 'compacted' || (o.erased_rows_left ?? 0) > 0,
  );
  for (const outcome of listed) process.stdout.write(`${outcomeLine(outcome)}\n`);
  process.stdout.write(summaryLine(summary));
}

/**
 * `luca jobs compact [--as-of D] [--min-age-days N] [--min-files N] [--tenant T] [--dry-run]`:
 * rewrites each closed raw partition's small files into one. Exits 1 when a
 * partition failed, 2 on a bad flag or when another compaction holds the lake.
 */
export function registerCompactJob(jobs: Command): void {
  const command = jobs
    .command('compact')
    .description(
      'compact each closed raw partition (grade, behaviour) into one sorted zstd Parquet file',
    )
    .option('--as-of <date>', 'day the age counts from, yyyy-mm-dd UTC (default: today)')
    .option(
      '--min-age-days <n>',
      `compact days at least n days before --as-of (default: ${compactionDefaults.minAgeDays})`,
    )
    .option(
      '--min-files <n>',
      `compact a partition holding at least n files (default: ${compactionDefaults.minFiles})`,
    )
    .option('--tenant <tenant>', 'only this tenant (default: every tenant)')
    .option('--threads <n>', `DuckDB threads (default: ${compactionDefaults.threads})`)
    .option('--dry-run', 'list what would be compacted, change nothing');
  exitTwoOnUsageError(command).action(
    action(async (flags: CompactFlags, cmd: Command) => {
      const paths = pathsOf(cmd);
      const progress = progressReporter({
        name: 'compaction',
        unit: 'partitions',
        key: 'partitions',
      });
      try {
        const summary = await runCompaction({
          lakeRoot: paths.lake,
          bufferDir: paths.buffer,
          asOf: flags.asOf,
          minAgeDays: wholeNumber('--min-age-days', flags.minAgeDays),
          minFiles: wholeNumber('--min-files', flags.minFiles),
          tenantId: flags.tenant,
          threads: wholeNumber('--threads', flags.threads),
          isDryRun: flags.dryRun === true,
          logger: createLogger({ destination: process.stderr }),
          onProgress: progress.update,
        });
        progress.stop();
        printSummary(summary);
        if (summary.partitions_failed > 0) process.exitCode = 1;
      } finally {
        progress.stop();
      }
    }),
  );
}
