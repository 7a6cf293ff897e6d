import type { Command } from 'commander';
import { createLogger } from '../../core/index.js';
import { listManifests } from '../../jobs/cutoff/index.js';
import {
  loadRegistryCredentials,
  openSqliteLedger,
  withSqliteLedger,
  runSync,
  type SyncTuning,
  syncErrors,
  syncStatus,
} from '../../jobs/sync/index.js';
import { checkedNumber } from '../options.js';
import { action, pathsOf } from '../program.js';
import { progressReporter } from './progress.js';
import { registerSyncRepair } from './sync-repair.js';

interface RunOptions {
  cutoff?: string[];
  period?: string;
  registryUrl: string;
  rate?: string;
  burst?: string;
  inFlight?: string;
  maxFailures?: string;
  timeoutMs?: string;
  backoffMs?: string;
}

function positive(value: string | undefined, flag: string): number | undefined {
  return checkedNumber(flag, value, { above: 0 }, (message) =>
    syncErrors.create('SYNC_ERR_INVALID_OPTION', message),
  );
}

function tuningOf(options: RunOptions): Partial<SyncTuning> {
  const rate = positive(options.rate, '--rate');
  const backoff = positive(options.backoffMs, '--backoff-ms');
  const entries = {
    ratePerSecond: rate,
    burst: positive(options.burst, '--burst'),
    inFlightPerSchool: positive(options.inFlight, '--in-flight'),
    maxFailures: positive(options.maxFailures, '--max-failures'),
    timeoutMs: positive(options.timeoutMs, '--timeout-ms'),
    backoff: backoff ? { baseMs: backoff, capMs: backoff * 60 } : undefined,
  };

  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
}

function cutoffIdsOf(lakeRoot: string, options: RunOptions): string[] {
  if (options.cutoff && options.cutoff.length > 0) return options.cutoff;
  if (!options.period)
    throw syncErrors.create(
      'SYNC_ERR_INVALID_OPTION',
      'Give --cutoff <id> (repeatable) or --period <period>.',
    );
  const newest = new Map<string, string>();
  for (const m of listManifests(lakeRoot).filter((m) => m.period_id === options.period))
    newest.set(m.tenant_id, m.cutoff_id);

  return [...newest.values()];
}

/** `luca sync run|status|reconcile|resend|journey`. */
export function registerSync(program: Command): void {
  const sync = program
    .command('sync')
    .description('send cutoffs to the government registry and reconcile');

  sync
    .command('run')
    .description('send cutoffs (schools in parallel); safe to re-run after any crash')
    .option('--cutoff <id...>', 'cutoff id(s)')
    .option('--period <period>', "every tenant's newest cutoff of this period")
    .option('--registry-url <url>', 'registry base URL', 'http://127.0.0.1:4010')
    .option('--rate <rps>', 'requests per second per school (contract: 5)')
    .option('--burst <n>', "client bucket burst per school (registry's burst less one)")
    .option('--in-flight <n>', 'batches in flight per school')
    .option('--max-failures <n>', 'transient failures before a batch is dead-lettered')
    .option('--timeout-ms <ms>', 'per-request timeout')
    .option('--backoff-ms <ms>', 'backoff base (cap is 60 times it)')
    .action(
      action(async (options: RunOptions, cmd) => {
        const paths = pathsOf(cmd);
        const ledger = openSqliteLedger(paths.state);
        const progress = progressReporter();
        try {
          const summary = await runSync({
            lakeRoot: paths.lake,
            cutoffIds: cutoffIdsOf(paths.lake, options),
            registryUrl: options.registryUrl,
            credentials: loadRegistryCredentials(paths.secrets),
            ledger,
            tuning: tuningOf(options),
            logger: createLogger({ base: { job: 'sync' }, destination: process.stderr }),
            onProgress: progress.update,
          });
          progress.stop();
          process.stdout.write(`${JSON.stringify(summary)}\n`);
        } finally {
          progress.stop();
          await ledger.close();
        }
      }),
    );

  sync
    .command('status')
    .description('counts by state, rate achieved and projected finish against the 48 h deadline')
    .requiredOption('--cutoff <id>', 'cutoff id')
    .action(
      action(async (options: { cutoff: string }, cmd) => {
        await withSqliteLedger(pathsOf(cmd).state, async (ledger) => {
          const status = await syncStatus(ledger, options.cutoff);
          process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
          if (status.warning) process.stderr.write(`warning: ${status.warning}\n`);
        });
      }),
    );

  registerSyncRepair(sync);
}
