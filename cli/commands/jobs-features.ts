import type { Command } from 'commander';
import { createLogger } from '../../core/index.js';
import { runFeatures } from '../../jobs/features/index.js';
import { numberArg } from '../options.js';
import { action, pathsOf } from '../program.js';

function megabytes(bytes: number): string {
  return (bytes / 1_048_576).toFixed(1);
}

/**
 * `luca jobs features [--as-of DATE] [--tenant T]`: computes the behaviour
 * features into `lake/curated/student_features/snapshot_date=<as_of>/`.
 */
export function registerFeaturesJob(jobs: Command): void {
  jobs
    .command('features')
    .description('compute behaviour features (curated/student_features/snapshot_date=<as_of>)')
    .option('--as-of <date>', 'last school-local day whose events count (default: today)')
    .option('--tenant <tenant>', 'only this tenant (default: every tenant in the lake)')
    .option(
      '--threads <n>',
      'DuckDB threads (default: all cores)',
      numberArg({ whole: true, min: 1 }),
    )
    .action(
      action(
        async (options: { asOf?: string; tenant?: string; threads?: number }, cmd: Command) => {
          const logger = createLogger({ destination: process.stderr });
          const summary = await runFeatures({
            lakeRoot: pathsOf(cmd).lake,
            asOf: options.asOf,
            tenants: options.tenant ? [options.tenant] : undefined,
            threads: options.threads,
            logger,
          });
          for (const tenant of summary.tenants) {
            process.stdout.write(
              `${tenant.tenant_id}: ${tenant.rows_in} rows in (${tenant.events_used} events used), ` +
                `${tenant.students} students, ${tenant.rows_out} rows out, ` +
                `${megabytes(tenant.bytes_read)} MB in ${tenant.files_read} files, ` +
                `${tenant.duration_ms} ms -> ${tenant.output ?? 'nothing written'}\n`,
            );
          }
          process.stdout.write(
            `features as_of ${summary.as_of}: ${summary.rows_in} rows in, ${summary.rows_out} rows out, ` +
              `${megabytes(summary.bytes_read)} MB read, ${summary.duration_ms} ms\n`,
          );
        },
      ),
    );
}
