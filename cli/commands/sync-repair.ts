import { join } from 'node:path';
import type { Command } from 'commander';
import { createLogger, loadPseudonymizer } from '../../core/index.js';
import {
  loadRegistryCredentials,
  withSqliteLedger,
  reconcileCutoff,
  recordJourney,
  resendCutoff,
} from '../../jobs/sync/index.js';
import { action, pathsOf } from '../program.js';

interface RegistryOptions {
  cutoff: string;
  registryUrl: string;
}

const registryUrlDefault = 'http://127.0.0.1:4010';

/** `luca sync reconcile|resend|journey|dead-letters`. */
export function registerSyncRepair(sync: Command): void {
  sync
    .command('reconcile')
    .description("compare the registry's listing with the cutoff; writes Parquet and Markdown")
    .requiredOption('--cutoff <id>', 'cutoff id')
    .option('--registry-url <url>', 'registry base URL', registryUrlDefault)
    .action(
      action(async (options: RegistryOptions, cmd) => {
        const paths = pathsOf(cmd);
        await withSqliteLedger(paths.state, async (ledger) => {
          const summary = await reconcileCutoff({
            lakeRoot: paths.lake,
            reportsDir: join(paths.root, 'reports', 'sync'),
            cutoffId: options.cutoff,
            registryUrl: options.registryUrl,
            credentials: loadRegistryCredentials(paths.secrets),
            ledger,
            pseudonymizer: loadPseudonymizer(paths.secrets),
            logger: createLogger({ base: { job: 'sync-reconcile' }, destination: process.stderr }),
          });
          process.stdout.write(`${JSON.stringify(summary)}\n`);
        });
      }),
    );

  sync
    .command('resend')
    .description('amend changed grades (PUT) and submit fixed records of a newer cutoff version')
    .requiredOption('--cutoff <id>', 'the cutoff version with the fixes')
    .option('--registry-url <url>', 'registry base URL', registryUrlDefault)
    .action(
      action(async (options: RegistryOptions, cmd) => {
        const paths = pathsOf(cmd);
        await withSqliteLedger(paths.state, async (ledger) => {
          const summary = await resendCutoff({
            lakeRoot: paths.lake,
            cutoffId: options.cutoff,
            registryUrl: options.registryUrl,
            credentials: loadRegistryCredentials(paths.secrets),
            ledger,
            logger: createLogger({ base: { job: 'sync-resend' }, destination: process.stderr }),
          });
          process.stdout.write(`${JSON.stringify(summary)}\n`);
        });
      }),
    );

  sync
    .command('journey')
    .description("one record's whole journey as JSON lines (sql/sync/record_journey.sql)")
    .requiredOption('--cutoff <id>', 'cutoff id')
    .requiredOption('--record <record_id>', 'record id (from the cutoff or a dead letter)')
    .action(
      action(async (options: { cutoff: string; record: string }, cmd) => {
        await withSqliteLedger(pathsOf(cmd).state, async (ledger) => {
          for (const step of recordJourney(ledger, options.cutoff, options.record)) {
            process.stdout.write(`${JSON.stringify(step)}\n`);
          }
        });
      }),
    );

  sync
    .command('dead-letters')
    .description('the dead-letter store of a cutoff as JSON lines, with reasons')
    .requiredOption('--cutoff <id>', 'cutoff id')
    .action(
      action(async (options: { cutoff: string }, cmd) => {
        await withSqliteLedger(pathsOf(cmd).state, async (ledger) => {
          for (const row of await ledger.deadLetters(options.cutoff)) {
            process.stdout.write(`${JSON.stringify(row)}\n`);
          }
        });
      }),
    );
}
