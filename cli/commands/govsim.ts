import type { Command } from 'commander';
import { type FaultOptions, type MaintenanceWindow, startGovsim } from '../../jobs/govsim/index.js';
import { listManifests } from '../../jobs/cutoff/index.js';
import {
  ensureRegistryCredentials,
  simulatorCredentials,
  syncErrors,
} from '../../jobs/sync/index.js';
import { checkedNumber, numberArg, portArg } from '../options.js';
import { action, pathsOf } from '../program.js';

interface GovsimCliOptions {
  port: number;
  seed: number;
  rate: number;
  burst: number;
  tokenTtl: number;
  faultRate?: string;
  errorRate?: string;
  hangRate?: string;
  dropRate?: string;
  burst429Rate?: string;
  maintenance?: string;
  notEnrolledShare: string;
}

function rate(value: string | undefined, flag: string): number | undefined {
  return checkedNumber(flag, value, { min: 0, max: 1 }, (message) =>
    syncErrors.create('SYNC_ERR_INVALID_OPTION', message),
  );
}

/** `--maintenance 30:60,300:120`: windows as start-second:duration-second after start. */
function windowsOf(value: string | undefined): MaintenanceWindow[] {
  if (!value) return [];

  return value.split(',').map((pair) => {
    const [start, duration] = pair.split(':').map(Number);
    if (!(start !== undefined && start >= 0 && duration !== undefined && duration > 0)) {
      throw syncErrors.create(
        'SYNC_ERR_INVALID_OPTION',
        '--maintenance looks like 30:60,300:120 (start:duration in seconds).',
      );
    }

    return { startMs: start * 1000, durationMs: duration * 1000 };
  });
}

function faultsOf(options: GovsimCliOptions): Partial<FaultOptions> {
  const mix = rate(options.faultRate, '--fault-rate') ?? 0;

  return {
    error5xxRate: rate(options.errorRate, '--error-rate') ?? mix,
    hangRate: rate(options.hangRate, '--hang-rate') ?? mix / 10,
    dropAfterProcessRate: rate(options.dropRate, '--drop-rate') ?? mix / 2,
    burst429Rate: rate(options.burst429Rate, '--burst429-rate') ?? mix / 5,
    maintenance: windowsOf(options.maintenance),
  };
}

/** `luca govsim`: runs the government registry simulator until interrupted. */
export function registerGovsim(program: Command): void {
  program
    .command('govsim')
    .description('run the government registry simulator (contracts/gov-grades-api.yaml)')
    .option('--port <port>', 'port (0 picks a free one)', portArg, 4010)
    .option('--seed <n>', 'seed of the fault generator', numberArg({ whole: true }), 1)
    .option('--rate <rps>', 'requests per second per credential', numberArg({ min: 0.001 }), 5)
    .option(
      '--burst <n>',
      'token bucket burst per credential',
      numberArg({ whole: true, min: 1 }),
      10,
    )
    .option(
      '--token-ttl <seconds>',
      'access token lifetime',
      numberArg({ whole: true, min: 1 }),
      3600,
    )
    .option('--fault-rate <p>', 'a moderate mix: 5xx p, drops p/2, 429 bursts p/5, hangs p/10')
    .option('--error-rate <p>', '5xx answers')
    .option('--hang-rate <p>', 'requests held without an answer')
    .option('--drop-rate <p>', 'processed, then connection dropped')
    .option('--burst429-rate <p>', '429 bursts')
    .option('--maintenance <windows>', 'start:duration seconds after start, comma-separated')
    .option('--not-enrolled-share <p>', 'share of valid CURPs not enrolled', '0')
    .action(
      action(async (options: GovsimCliOptions, cmd) => {
        const paths = pathsOf(cmd);
        const sim = await startGovsim({
          port: options.port,
          seed: options.seed,
          ratePerSecond: options.rate,
          burst: options.burst,
          tokenTtlSeconds: options.tokenTtl,
          // Locally the simulator stands for the registry's onboarding: every school with a
          // cutoff gets a credential in secrets/registry-credentials.json if it has none.
          credentials: simulatorCredentials(
            ensureRegistryCredentials(paths.secrets, [
              ...new Set(listManifests(paths.lake).map((m) => m.cct)),
            ]),
          ),
          enrollment: {
            notEnrolledShare: rate(options.notEnrolledShare, '--not-enrolled-share') ?? 0,
          },
          faults: faultsOf(options),
        });
        process.stdout.write(
          `${JSON.stringify({ msg: 'govsim listening', url: sim.url, stats: `${sim.url}/__sim/stats` })}\n`,
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        process.stdout.write(`${JSON.stringify(sim.stats())}\n`);
        await sim.close();
      }),
    );
}
