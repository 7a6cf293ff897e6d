/**
 * Seed generator throughput and memory. Prints events/s and peak RSS for:
 *   1. generation only (behaviour events counted, not kept),
 *   2. the full `runSeed` path writing events as JSON lines (`--out`),
 * and a baseline measured in the same run: cloning one fixed event template
 * with a new time and id (the floor for producing event objects at all).
 *
 *   npx tsx bench/seed/run.ts [--events 5000000]   # at least 10000
 *   npx tsx bench/seed/run.ts                 # 5,000,000 events
 *   npx tsx bench/seed/run.ts --events 200000 # quick
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 } from 'uuid';
import {
  planSchool,
  runSeed,
  schoolBehaviour,
  schoolDaysBack,
} from '../../pipelines/seed/index.js';
import { parseBenchArgs } from '../bench-args.js';

const studentsPerSchool = 500;
const days = 20;
/** Measured: about 300,000 behaviour events per school of 500 students over 20 days. */
const eventsPerSchool = 300_000;

const args = parseBenchArgs({
  usage: `Usage:
  npx tsx bench/seed/run.ts [--events 5000000]   # at least 10000
  npx tsx bench/seed/run.ts                 # 5,000,000 events
  npx tsx bench/seed/run.ts --events 200000 # quick`,
  options: { events: { type: 'string', default: '5000000' } },
});

const rssMib = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

function generateOnly(target: number, asOf: string, cutoffMs: number) {
  const options = {
    seed: 'bench',
    studentsPerSchool,
    invalidCurpShare: 0.02,
    missingCurpShare: 0.005,
    disengagingShare: 0.08,
  };
  const window = schoolDaysBack(asOf, days);
  const started = performance.now();
  let count = 0;
  for (let index = 0; count < target; index += 1) {
    for (const _event of schoolBehaviour(planSchool(options, index), {
      seed: 'bench',
      days: window,
      cutoffMs,
    })) {
      count += 1;
    }
  }
  const seconds = (performance.now() - started) / 1000;

  return { count, seconds, perSecond: Math.round(count / seconds), peakRssMib: rssMib() };
}

function baseline(count: number) {
  const started = performance.now();
  const startMs = Date.parse('2026-11-02T14:00:00Z');
  let sink = 0;
  for (let index = 0; index < count; index += 1) {
    const at = startMs + index * 37;
    const event = {
      event_id: v7({ msecs: at }),
      tenant_id: 't-09dpr0001e',
      event_type: 'quiz.answered',
      schema_version: 1,
      occurred_at: new Date(at).toISOString(),
      actor: { id: 'stu-09dpr0001e-00001', role: 'student' },
      student_id: 'stu-09dpr0001e-00001',
      payload: {
        quiz_id: 'qz.mat.fracciones.3',
        question_id: 'qz.mat.fracciones.3.q1',
        topic_id: 'mat.fracciones',
        is_correct: true,
        attempt: 1,
        time_ms: 5400,
      },
    };
    sink += event.event_id.length;
  }
  const seconds = (performance.now() - started) / 1000;

  return { count, seconds, perSecond: Math.round(count / seconds), check: sink > 0 };
}

async function toJsonLines(target: number, asOf: string, now: Date) {
  const dataDir = mkdtempSync(join(tmpdir(), 'luca-bench-seed-'));
  const out = join(dataDir, 'events.jsonl');
  try {
    const schools = Math.max(1, Math.ceil(target / eventsPerSchool));
    const summary = await runSeed({
      dataDir,
      out,
      schools,
      studentsPerSchool,
      days,
      asOf,
      now,
      evaluations: false,
    });
    const bytes = statSync(out).size;

    return {
      count: summary.events.total,
      seconds: summary.duration_ms / 1000,
      perSecond: summary.events_per_second,
      mib: Math.round(bytes / 1048576),
      peakRssMib: rssMib(),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const target = args.number('events', { min: 10_000, isWhole: true });
const now = new Date('2026-12-04T03:00:00Z');
const asOf = '2026-12-03';
process.stdout.write(
  `seed bench: ${target} events, ${studentsPerSchool} students a school, ${days} school days (noisy if other work shares the CPU)\n`,
);
const generated = generateOnly(target, asOf, now.getTime());
process.stdout.write(
  `generate only:   ${generated.count} events in ${generated.seconds.toFixed(1)} s = ${generated.perSecond} events/s, peak RSS ${generated.peakRssMib} MiB\n`,
);
const written = await toJsonLines(target, asOf, now);
process.stdout.write(
  `runSeed --out:   ${written.count} events in ${written.seconds.toFixed(1)} s = ${written.perSecond} events/s, ${written.mib} MiB of JSON lines, peak RSS ${written.peakRssMib} MiB\n`,
);
const floor = baseline(Math.min(target, 2_000_000));
process.stdout.write(`baseline (template clone + uuid v7): ${floor.perSecond} events/s\n`);
process.stdout.write(
  `ratio generate/baseline: ${(generated.perSecond / floor.perSecond).toFixed(2)}, --out/baseline: ${(written.perSecond / floor.perSecond).toFixed(2)}\n`,
);
