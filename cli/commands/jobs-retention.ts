import type { Command } from 'commander';
import { createLogger } from '../../core/index.js';
import { runRetention } from '../../jobs/privacy/index.js';
import { action, pathsOf } from '../program.js';

/** `luca jobs retention [--as-of D] [--dry-run]`: enforces lake retention locally. */
export function registerRetentionJob(jobs: Command): void {
  jobs
    .command('retention')
    .description(
      'delete lake partitions past retention (as the S3 lifecycle does) and old dedup ids',
    )
    .option('--as-of <date>', 'day retention counts from, yyyy-mm-dd UTC (default: today)')
    .option('--dry-run', 'list what would be removed, remove nothing')
    .action(
      action(async (options: { asOf?: string; dryRun?: boolean }, cmd: Command) => {
        const paths = pathsOf(cmd);
        const summary = await runRetention({
          lakeRoot: paths.lake,
          bufferDir: paths.buffer,
          asOf: options.asOf,
          isDryRun: options.dryRun === true,
          logger: createLogger({ destination: process.stderr }),
        });
        const verb = summary.is_dry_run ? 'would remove' : 'removed';
        for (const p of summary.partitions) {
          process.stdout.write(
            `${verb} ${p.path} (${p.date}, retention ${p.retention_days} days)\n`,
          );
        }
        process.stdout.write(
          `retention as of ${summary.as_of}: ${verb} ${summary.partitions.length} partitions, ` +
            `dedup ids pruned ${summary.dedup_ids_pruned ?? '-'}, ${summary.duration_ms} ms\n`,
        );
      }),
    );
}
