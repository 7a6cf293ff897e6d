import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { pino } from 'pino';
import { createLogger, type DataPaths } from '../../core/index.js';
import {
  runSeed,
  type SeedOptions,
  type SeedSummary,
  seedErrors,
} from '../../pipelines/seed/index.js';
import { withLocalIngest } from '../local-ingest.js';
import { checkedNumber } from '../options.js';
import { action, pathsOf } from '../program.js';

interface SeedFlags {
  schools?: string;
  studentsPerSchool?: string;
  days?: string;
  asOf?: string;
  seed?: string;
  invalidCurpShare?: string;
  missingCurpShare?: string;
  out?: string;
  url?: string;
  concurrency?: string;
  events: boolean;
  evaluations: boolean;
  evaluationEvents?: boolean;
}

/** A flag's value as a number, or `SEED_ERR_INVALID_OPTION` naming the flag. */
function numberFlag(flag: string, value: string | undefined, integer: boolean): number | undefined {
  return checkedNumber(flag, value, { whole: integer }, (message) =>
    seedErrors.create('SEED_ERR_INVALID_OPTION', message),
  );
}

function optionsOf(flags: SeedFlags): SeedOptions {
  return {
    schools: numberFlag('--schools', flags.schools, true),
    studentsPerSchool: numberFlag('--students-per-school', flags.studentsPerSchool, true),
    days: numberFlag('--days', flags.days, true),
    asOf: flags.asOf,
    seed: flags.seed,
    invalidCurpShare: numberFlag('--invalid-curp-share', flags.invalidCurpShare, false),
    missingCurpShare: numberFlag('--missing-curp-share', flags.missingCurpShare, false),
    concurrency: numberFlag('--concurrency', flags.concurrency, true),
    out: flags.out,
    url: flags.url,
    events: flags.events,
    evaluations: flags.evaluations,
    evaluationEvents: flags.evaluationEvents === true,
  };
}

/** Without a TTY: one log line on stderr at most every 5 seconds. */
function progressLines(): { update: SeedOptions['onProgress']; stop: () => void } {
  const logger = createLogger({ destination: pino.destination(2), base: { job: 'seed' } });
  let last = Date.now();
  const update: SeedOptions['onProgress'] = (progress) => {
    if (Date.now() - last < 5_000) return;
    last = Date.now();
    // `events` is a redacted key (raw event bodies); the count goes under its own name.
    const { events, ...rest } = progress;
    logger.info({ ...rest, events_generated: events }, 'seed progress');
  };

  return { update, stop: () => {} };
}

function progressBar(schools: number): { update: SeedOptions['onProgress']; stop: () => void } {
  if (!process.stderr.isTTY) return progressLines();
  const bar = new SingleBar({
    format: 'seed [{bar}] {value}/{total} schools | {events} events | {evaluations} evaluations',
    stream: process.stderr,
    hideCursor: true,
  });
  bar.start(schools, 0, { events: 0, evaluations: 0 });

  return {
    update: (progress) =>
      bar.update(progress.schools_done, {
        events: progress.events,
        evaluations: progress.evaluations,
      }),
    stop: () => bar.stop(),
  };
}

/** The human summary printed at the end of `luca seed`. */
export function formatSeedSummary(summary: SeedSummary): string {
  const byType = Object.entries(summary.events.by_type)
    .map(([type, count]) => `  ${type.padEnd(20)} ${count}`)
    .join('\n');
  const sink = summary.sink;
  const ingest =
    sink.kind === 'http' || sink.kind === 'in-process'
      ? `ingest (${sink.kind}): ${sink.accepted} accepted, ${sink.duplicates} duplicate, ${sink.rejected} rejected, ${sink.batches} batches, ${sink.retries} retries\n`
      : '';
  const lines = [
    `seed ${summary.seed}, as of ${summary.as_of}, ${summary.school_days.length} school days (${summary.school_days[0] ?? '-'} to ${summary.school_days.at(-1) ?? '-'})`,
    `schools ${summary.schools}, groups ${summary.groups}, teachers ${summary.teachers}, guardians ${summary.guardians}, students ${summary.students}`,
    `curps: ${summary.curps.valid} valid, ${summary.curps.invalid} invalid, ${summary.curps.missing} missing`,
    `evaluations ${summary.evaluations}`,
    `events ${summary.events.total} in ${(summary.duration_ms / 1000).toFixed(1)} s (${summary.events_per_second} events/s), peak RSS ${summary.peak_rss_mib} MiB`,
    byType,
  ];

  return `${lines.join('\n')}\n${ingest}roster: ${summary.outputs.roster}\nevaluations: ${summary.outputs.evaluations ?? '(not generated)'}\nevents: ${summary.outputs.events ?? '(not sent)'}\n`;
}

/**
 * Without `--out` or `--url`, events go in process through the same ingest
 * service the API uses, into the data directory's landing buffer (`luca land`
 * or `luca serve` lands them).
 */
function withSeedIngest<T>(
  paths: DataPaths,
  run: (ingest: SeedOptions['ingest']) => Promise<T>,
): Promise<T> {
  const logger = createLogger({ level: 'warn', base: { component: 'seed' } });

  return withLocalIngest(paths, logger, (service) =>
    run((principal, events, context) => service.ingestBatch(principal, events, context)),
  );
}

/** `luca seed`: generates the deterministic sample school system. */
export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('generate sample schools, students, evaluations and bell-timed behaviour events')
    .option('--schools <n>', 'schools (tenants), 1-9999', '3')
    .option('--students-per-school <m>', 'students per school, 1-20000', '40')
    .option('--days <d>', 'school days of behaviour events back from --as-of, 1-250', '20')
    .option('--as-of <date>', 'reference date YYYY-MM-DD (default: today in Mexico City)')
    .option('--seed <s>', 'seed: same seed, same data', 'luca')
    .option('--invalid-curp-share <x>', 'share of students with a wrong CURP check digit', '0.02')
    .option('--missing-curp-share <x>', 'share of students without a CURP', '0.005')
    .option('--out <file>', 'write events as JSON lines to this file')
    .option(
      '--url <url>',
      'POST events to <url>/v1/events with ingest tokens (default: in process)',
    )
    .option('--concurrency <n>', 'batches in flight with --url', '4')
    .option('--no-events', 'skip behaviour events')
    .option('--no-evaluations', 'skip evaluations')
    .option('--evaluation-events', 'also send an evaluation.recorded event per evaluation')
    .action(
      action(async (flags: SeedFlags, cmd: Command) => {
        const options = optionsOf(flags);
        const paths = pathsOf(cmd);
        const progress = progressBar(options.schools ?? 3);
        try {
          const seed = (ingest: SeedOptions['ingest']) =>
            runSeed({ ...options, ingest, dataDir: paths.root, onProgress: progress.update });
          const isLocal =
            !options.out && !options.url && (options.events || options.evaluationEvents);
          const summary = isLocal ? await withSeedIngest(paths, seed) : await seed(undefined);
          progress.stop();
          process.stdout.write(formatSeedSummary(summary));
        } finally {
          progress.stop();
        }
      }),
    );
}
