import { join } from 'node:path';
import { ensureDataPaths, type IncomingEnvelope, isValidCurp } from '../../core/index.js';
import { schoolBehaviour } from './behaviour.js';
import { schoolDaysBack } from './calendar.js';
import { evaluationRecordedEvent } from './evaluation-events.js';
import {
  batchingSink,
  type EventSink,
  jsonlSink,
  nullSink,
  type SinkReport,
} from './event-sinks.js';
import { schoolEvaluations } from './evaluations.js';
import { httpSender, inProcessSender } from './ingest-targets.js';
import { JsonlWriter } from './jsonl-writer.js';
import { type ResolvedSeedOptions, resolveSeedOptions, type SeedOptions } from './options.js';
import { rosterLines } from './roster-lines.js';
import { planSchool, type SchoolPlan } from './roster.js';

/** What a seed run produced and where it went. No names or CURPs. */
export interface SeedSummary {
  readonly seed: string;
  readonly as_of: string;
  readonly school_days: readonly string[];
  readonly schools: number;
  readonly groups: number;
  readonly teachers: number;
  readonly guardians: number;
  readonly students: number;
  readonly curps: { readonly valid: number; readonly invalid: number; readonly missing: number };
  readonly tenants: readonly string[];
  readonly evaluations: number;
  readonly events: { readonly total: number; readonly by_type: Readonly<Record<string, number>> };
  readonly sink: SinkReport;
  readonly outputs: {
    readonly roster: string;
    readonly evaluations: string | null;
    readonly events: string | null;
  };
  readonly duration_ms: number;
  readonly events_per_second: number;
  /** Peak resident memory of the process so far, in MiB. */
  readonly peak_rss_mib: number;
}

interface Tally {
  groups: number;
  teachers: number;
  guardians: number;
  students: number;
  curps: { valid: number; invalid: number; missing: number };
  tenants: string[];
  evaluations: number;
  events: number;
  byType: Record<string, number>;
}

function sinkFor(options: ResolvedSeedOptions, secretsDir: string): EventSink {
  const batching = { batchSize: options.batchSize, concurrency: options.concurrency };
  if (options.out) return jsonlSink(options.out);
  if (options.url)
    return batchingSink(httpSender(options.url, secretsDir, options.retryPolicy), {
      ...batching,
      kind: 'http',
      target: options.url,
    });
  if (options.ingest)
    return batchingSink(inProcessSender(options.ingest, options.retryPolicy), {
      ...batching,
      kind: 'in-process',
      target: 'in-process ingest',
    });

  return nullSink();
}

function countRoster(plan: SchoolPlan, tally: Tally): void {
  tally.groups += plan.groups.length;
  tally.teachers += plan.teachers.length;
  tally.guardians += plan.guardians.length;
  tally.students += plan.students.length;
  tally.tenants.push(plan.school.tenant_id);
  for (const student of plan.students) {
    if (student.curp === null) tally.curps.missing += 1;
    else if (isValidCurp(student.curp)) tally.curps.valid += 1;
    else tally.curps.invalid += 1;
  }
}

/** Counts and hands over one event; a promise only when the sink applies backpressure. */
function send(sink: EventSink, event: IncomingEnvelope, tally: Tally): Promise<void> | undefined {
  tally.events += 1;
  tally.byType[event.event_type] = (tally.byType[event.event_type] ?? 0) + 1;

  return sink.add(event);
}

interface Outputs {
  readonly roster: JsonlWriter;
  readonly evaluations: JsonlWriter | null;
  readonly sink: EventSink;
}

async function writeEvaluations(
  plan: SchoolPlan,
  options: ResolvedSeedOptions,
  outputs: Outputs,
  tally: Tally,
) {
  if (!outputs.evaluations) return;
  for (const evaluation of schoolEvaluations(plan, options)) {
    tally.evaluations += 1;
    const written = outputs.evaluations.write(evaluation);
    if (written) await written;
    if (!options.evaluationEvents) continue;
    const sent = send(outputs.sink, evaluationRecordedEvent(evaluation), tally);
    if (sent) await sent;
  }
}

async function sendBehaviour(
  plan: SchoolPlan,
  days: string[],
  options: ResolvedSeedOptions,
  outputs: Outputs,
  tally: Tally,
) {
  const behaviour = schoolBehaviour(plan, { seed: options.seed, days, cutoffMs: options.cutoffMs });
  for (const event of behaviour) {
    const sent = send(outputs.sink, event, tally);
    if (sent) await sent;
    if (tally.events % 20_000 === 0) {
      const { schools, onProgress } = options;
      onProgress?.({
        schools_done: plan.index,
        schools_total: schools,
        events: tally.events,
        evaluations: tally.evaluations,
      });
    }
  }
}

async function seedSchool(
  index: number,
  days: string[],
  options: ResolvedSeedOptions,
  outputs: Outputs,
  tally: Tally,
) {
  const plan = planSchool(options, index);
  countRoster(plan, tally);
  for (const line of rosterLines(plan)) await outputs.roster.write(line);

  await writeEvaluations(plan, options, outputs, tally);
  if (options.events !== false) await sendBehaviour(plan, days, options, outputs, tally);
}

function openOutputs(options: ResolvedSeedOptions, seedDir: string, secretsDir: string): Outputs {
  const roster = new JsonlWriter(join(seedDir, 'roster.jsonl'), 0o600);
  const evaluations =
    options.evaluations === false
      ? null
      : new JsonlWriter(join(seedDir, 'evaluations.jsonl'), 0o600);

  return { roster, evaluations, sink: sinkFor(options, secretsDir) };
}

function summaryOf(
  options: ResolvedSeedOptions,
  days: string[],
  tally: Tally,
  outputs: Outputs,
  sink: SinkReport,
  startedAt: number,
): SeedSummary {
  const durationMs = Math.round(performance.now() - startedAt);

  return {
    seed: options.seed,
    as_of: options.asOf,
    school_days: days,
    schools: options.schools,
    groups: tally.groups,
    teachers: tally.teachers,
    guardians: tally.guardians,
    students: tally.students,
    curps: tally.curps,
    tenants: tally.tenants,
    evaluations: tally.evaluations,
    events: { total: tally.events, by_type: tally.byType },
    sink,
    outputs: {
      roster: outputs.roster.path,
      evaluations: outputs.evaluations?.path ?? null,
      events: sink.target,
    },
    duration_ms: durationMs,
    events_per_second: durationMs > 0 ? Math.round((tally.events / durationMs) * 1000) : 0,
    peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** The summary as log fields: counts only (`events` is a redacted key, so its figures are renamed). */
export function logFieldsOf(summary: SeedSummary): Record<string, unknown> {
  const {
    school_days: days,
    tenants: _tenants,
    events,
    sink,
    outputs: _outputs,
    ...counts
  } = summary;

  return {
    job: 'seed',
    ...counts,
    school_day_count: days.length,
    events_total: events.total,
    events_by_type: events.by_type,
    sink_kind: sink.kind,
    rows_out: sink.kind === 'jsonl' ? sink.written : sink.accepted + sink.duplicates,
    rejected: sink.rejected,
    retries: sink.retries,
  };
}

/**
 * Generates a deterministic sample school system and sends it where asked:
 * the roster (names and CURPs included) to `<data-dir>/seed/roster.jsonl`, the
 * evaluations to `<data-dir>/seed/evaluations.jsonl` (both mode 0600), and the
 * behaviour events to a JSON-lines file, `POST /v1/events`, or an in-process
 * ingest function. Streams school by school and day by day, so memory stays
 * bounded at any scale.
 *
 * @example
 * const summary = await runSeed({ dataDir, schools: 3, studentsPerSchool: 40, days: 20, ingest });
 * console.log(summary.events.total, summary.sink.accepted);
 */
export async function runSeed(input: SeedOptions = {}): Promise<SeedSummary> {
  const options = resolveSeedOptions(input);
  const startedAt = performance.now();
  const paths = ensureDataPaths(options.dataDir);
  const days = schoolDaysBack(options.asOf, options.days);
  const outputs = openOutputs(options, join(paths.root, 'seed'), paths.secrets);
  const tally: Tally = {
    groups: 0,
    teachers: 0,
    guardians: 0,
    students: 0,
    curps: { valid: 0, invalid: 0, missing: 0 },
    tenants: [],
    evaluations: 0,
    events: 0,
    byType: {},
  };
  try {
    for (let index = 0; index < options.schools; index += 1) {
      await seedSchool(index, days, options, outputs, tally);
      options.onProgress?.({
        schools_done: index + 1,
        schools_total: options.schools,
        events: tally.events,
        evaluations: tally.evaluations,
      });
    }
    const sink = await outputs.sink.close();
    await outputs.roster.close();
    await outputs.evaluations?.close();
    const summary = summaryOf(options, days, tally, outputs, sink, startedAt);
    options.logger?.info(logFieldsOf(summary), 'seed finished');

    return summary;
  } catch (error) {
    outputs.roster.abort();
    outputs.evaluations?.abort();
    await outputs.sink.abort();
    throw error;
  }
}
