import type { Command } from 'commander';
import { createLogger } from '../../core/index.js';
import { runGradesJob } from '../../jobs/grades/index.js';
import { action, pathsOf } from '../program.js';

/** `luca jobs grades [--tenant T] [--period P]`: consolidates grades into the lake. */
export function registerGradesJob(jobs: Command): void {
  jobs
    .command('grades')
    .description('consolidate grades from the evaluations snapshot (curated/consolidated_grades)')
    .option('--tenant <tenant>', 'only this tenant')
    .option('--period <period>', 'only this period, e.g. 2026-2027/P1')
    .action(
      action(async (options: { tenant?: string; period?: string }, cmd: Command) => {
        const logger = createLogger({ destination: process.stderr });
        const summary = await runGradesJob({
          paths: pathsOf(cmd),
          tenantId: options.tenant,
          periodId: options.period,
          logger,
        });
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      }),
    );
}
