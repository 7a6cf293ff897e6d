import { z } from 'zod';
import type { Logger } from '../../core/index.js';
import { seedErrors } from './errors.js';
import type { IngestFunction, RetryPolicy } from './ingest-targets.js';

/** Progress of a run, reported after every school day and school. */
export interface SeedProgress {
  readonly schools_done: number;
  readonly schools_total: number;
  readonly events: number;
  readonly evaluations: number;
}

/**
 * Options of `runSeed` (and `luca seed`). Every field has a default suited to
 * the demo: 3 schools of 40 students, 20 school days up to today.
 */
export interface SeedOptions {
  /** Data directory (default: `LUCA_DATA_DIR` or `.luca`); the roster goes to `<dir>/seed/`. */
  dataDir?: string;
  schools?: number;
  studentsPerSchool?: number;
  /** School days of behaviour events, counting back from `asOf`. */
  days?: number;
  /** Reference date `YYYY-MM-DD` (Mexico City); default today. Nothing is dated after it or after `now`. */
  asOf?: string;
  seed?: string | number;
  invalidCurpShare?: number;
  missingCurpShare?: number;
  /** Share of students whose activity declines over the window. */
  disengagingShare?: number;
  /** Write events as JSON lines to this file instead of ingesting them. */
  out?: string;
  /** Ingest over HTTP: `POST <url>/v1/events`. */
  url?: string;
  /** Ingest in process (for example `createIngestService(...).ingestBatch`). */
  ingest?: IngestFunction;
  /** Generate behaviour events (default true). */
  events?: boolean;
  /** Generate evaluations into `seed/evaluations.jsonl` (default true). */
  evaluations?: boolean;
  /** Also send an `evaluation.recorded` event per evaluation (default false: the grades store emits them). */
  evaluationEvents?: boolean;
  /** Batches in flight at once (default 4). */
  concurrency?: number;
  batchSize?: number;
  /** Clock (tests pin it). */
  now?: Date;
  logger?: Logger;
  onProgress?: (progress: SeedProgress) => void;
  retryPolicy?: RetryPolicy;
}

const date = z.iso.date();

const schema = z.object({
  schools: z.number().int().min(1).max(9999),
  studentsPerSchool: z.number().int().min(1).max(20_000),
  days: z.number().int().min(1).max(250),
  asOf: date,
  seed: z.string().min(1).max(64),
  invalidCurpShare: z.number().min(0).max(0.5),
  missingCurpShare: z.number().min(0).max(0.5),
  disengagingShare: z.number().min(0).max(1),
  concurrency: z.number().int().min(1).max(64),
  batchSize: z.number().int().min(1).max(500),
  url: z.url({ protocol: /^https?$/ }).optional(),
});

export type ResolvedSeedOptions = z.infer<typeof schema> &
  Omit<SeedOptions, keyof z.infer<typeof schema>> & { now: Date; cutoffMs: number };

/** Mexico City's calendar date at an instant (UTC-6 all year). */
export function mexicoCityDate(at: Date): string {
  return new Date(at.getTime() - 6 * 3_600_000).toISOString().slice(0, 10);
}

/** The CLI flag of each option, so one message serves `luca seed` and `runSeed` callers. */
const flagOf: Readonly<Record<string, string>> = {
  schools: '--schools',
  studentsPerSchool: '--students-per-school',
  days: '--days',
  asOf: '--as-of',
  seed: '--seed',
  invalidCurpShare: '--invalid-curp-share',
  missingCurpShare: '--missing-curp-share',
  disengagingShare: '--disengaging-share',
  concurrency: '--concurrency',
  batchSize: 'batchSize',
  url: '--url',
};

function invalid(message: string): never {
  throw seedErrors.create('SEED_ERR_INVALID_OPTION', message);
}

function checkTargets(options: SeedOptions): void {
  const targets = [
    options.out && '--out',
    options.url && '--url',
    options.ingest && 'ingest',
  ].filter(Boolean);
  if (targets.length > 1) invalid(`Choose one place for the events, not ${targets.join(' and ')}.`);
  const sendsEvents = options.events !== false || options.evaluationEvents === true;
  if (sendsEvents && targets.length === 0) {
    invalid('Say where the events go: --out FILE, --url URL, or --no-events.');
  }
}

/** Applies defaults and checks every option; throws `SEED_ERR_INVALID_OPTION` saying what to fix. */
export function resolveSeedOptions(options: SeedOptions): ResolvedSeedOptions {
  const now = options.now ?? new Date();
  const today = mexicoCityDate(now);
  const candidate = {
    schools: options.schools ?? 3,
    studentsPerSchool: options.studentsPerSchool ?? 40,
    days: options.days ?? 20,
    asOf: options.asOf ?? today,
    seed: String(options.seed ?? 'luca'),
    invalidCurpShare: options.invalidCurpShare ?? 0.02,
    missingCurpShare: options.missingCurpShare ?? 0.005,
    disengagingShare: options.disengagingShare ?? 0.08,
    concurrency: options.concurrency ?? 4,
    batchSize: options.batchSize ?? 500,
    url: options.url,
  };
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? 'option');
    invalid(`${flagOf[key] ?? key}: ${issue?.message ?? 'invalid'}`);
  }
  const resolved = parsed.data;
  if (resolved.asOf > today)
    invalid(`--as-of ${resolved.asOf} is in the future; use ${today} or earlier.`);
  const ageDays =
    (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${resolved.asOf}T00:00:00Z`)) / 86_400_000;
  if (ageDays + resolved.days * 1.5 > 390) {
    invalid(
      'The window reaches more than 390 days back; ingest rejects events older than 400 days. Use a later --as-of or fewer --days.',
    );
  }
  if (resolved.invalidCurpShare + resolved.missingCurpShare > 0.5) {
    invalid('--invalid-curp-share plus --missing-curp-share must be at most 0.5.');
  }
  checkTargets(options);
  const endOfAsOf = Date.parse(`${resolved.asOf}T23:59:59.999Z`) + 6 * 3_600_000;

  return { ...options, ...resolved, now, cutoffMs: Math.min(endOfAsOf, now.getTime()) };
}
