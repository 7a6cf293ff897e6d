/**
 * Ingest benchmark: events per second acknowledged durably over HTTP (batches
 * of 500, concurrent clients against `luca serve` in a child process) and
 * landed as Parquet by its lander loop, with two baselines measured in the same
 * run on the same rows: raw SQLite buffer appends (no HTTP) and raw DuckDB
 * Parquet writes (no buffer).
 *
 *   npx tsx bench/ingest/run.ts [--events 1000000] [--connections 16] [--quick]
 *     [--land-max-age-ms 1000] [--profile DIR]
 *
 * `--quick` makes the default 20,000 events.
 *
 * 16 connections by default: on this 2-core VM they cost 24.8-25.2 µs of
 * server CPU per event against 27.3 with 8, at 58,700-59,000 against 51,100
 * events/s (1,000,000 events, load 1.4-2.1); 32 gave 29.5 µs and 48,500 at a
 * higher load (ADR 0075). 1,000,000 events by default: a 200,000-event run
 * lasts 4 s, and its last drain, which waits for the age trigger, then makes
 * "landed" look 20% lower than the lander's steady rate.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  ensureDataPaths,
  loadPseudonymizer,
  mintToken,
  newEventId,
  repoRoot,
  TokenKeys,
} from '../../core/index.js';
import {
  countStagedEvents,
  createIngestService,
  type BufferedEvent,
  Lander,
  SqliteLandingBuffer,
} from '../../pipelines/index.js';
import { parseBenchArgs } from '../bench-args.js';
import { percentile, postBatches } from './http-load.js';

const args = parseBenchArgs({
  usage: `Usage:
  npx tsx bench/ingest/run.ts [--events 1000000] [--connections 16] [--quick]
    [--land-max-age-ms 1000] [--profile DIR]

--quick makes the default 20,000 events. --land-max-age-ms is the server's age trigger
for a drain; --profile DIR runs the server with --cpu-prof into DIR.`,
  options: {
    events: { type: 'string' },
    connections: { type: 'string', default: '16' },
    quick: { type: 'boolean', default: false },
    'land-max-age-ms': { type: 'string', default: '1000' },
    profile: { type: 'string' },
  },
});
const isQuick = args.values.quick;
const totalEvents = args.number('events', { isWhole: true }) ?? (isQuick ? 20_000 : 1_000_000);
const connections = args.number('connections', { isWhole: true });
const batchSize = 500;
/**
 * `--land-max-age-ms`: the serve loop's age trigger (Firehose's buffering
 * interval). `luca serve` defaults to 5,000 ms; the bench uses 1,000 ms so the
 * last partial drain does not sit idle for 5 s and hide the lander's rate.
 */
const landMaxAgeMs = args.number('land-max-age-ms', { min: 0, isWhole: true });
/** `--profile DIR`: run the server with `--cpu-prof` into DIR (one profile per thread). */
const profileDir = args.values.profile;
const tenantId = 't-bench';

function quizEvent(index: number): Record<string, unknown> {
  const student = `stu-${index % 5000}`;
  return {
    event_id: newEventId(),
    event_type: 'quiz.answered',
    schema_version: 1,
    occurred_at: new Date(Date.now() - 60_000 - (index % 86_400) * 1000).toISOString(),
    actor: { id: student, role: 'student' },
    student_id: student,
    payload: {
      quiz_id: 'quiz-12',
      question_id: `q-${index % 40}`,
      topic_id: 'fractions',
      is_correct: index % 3 !== 0,
      attempt: 1,
      time_ms: 4200 + (index % 900),
    },
  };
}

function batches(): Record<string, unknown>[][] {
  const all: Record<string, unknown>[][] = [];
  for (let start = 0; start < totalEvents; start += batchSize) {
    all.push(
      Array.from({ length: Math.min(batchSize, totalEvents - start) }, (_, i) =>
        quizEvent(start + i),
      ),
    );
  }

  return all;
}

/** CPU seconds (user + system) a process used so far, from /proc (Linux); null elsewhere. */
function processCpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / 100 : null;
  } catch {
    return null;
  }
}

/** CPU seconds per thread (`main`, else `<name>#<tid>`) of a process (Linux `/proc/<pid>/task`); empty elsewhere. */
function threadCpuSeconds(pid: number | undefined): Map<string, number> {
  const byName = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const name = tid === String(pid) ? 'main' : `${comm}#${tid}`;
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
      byName.set(name, (byName.get(name) ?? 0) + seconds);
    }
  } catch {
    // not Linux, or the process is gone
  }

  return byName;
}

/** Per-thread µs of CPU per event between two `threadCpuSeconds` readings, largest first. */
function threadCosts(before: Map<string, number>, after: Map<string, number>, events: number) {
  return [...after]
    .map(([name, seconds]) => [name, ((seconds - (before.get(name) ?? 0)) * 1e6) / events] as const)
    .filter(([, micros]) => micros >= 0.1)
    .sort((a, b) => b[1] - a[1])
    .map(([name, micros]) => `${name} ${micros.toFixed(1)}`)
    .join(', ');
}

/** Microseconds of CPU per event, and the events/s one core could do at that cost. */
function cpuCost(cpuSeconds: number | null, events: number): string {
  if (cpuSeconds === null) return 'cpu n/a';
  const micros = (cpuSeconds * 1e6) / events;

  return `${micros.toFixed(1)} us cpu/event = ${Math.round(1e6 / micros).toLocaleString('en-US')} events/s per core`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForDepth(url: string, predicate: (depth: number) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const health = (await (await fetch(`${url}/healthz`)).json()) as {
        buffer: { depth: number };
      };
      if (predicate(health.buffer.depth)) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('timed out waiting for the server');
}

/** Samples the buffer depth every 100 ms while the load runs; `stop` returns the largest. */
function watchDepth(url: string): { stop(): Promise<number> } {
  let maxDepth = 0;
  let isRunning = true;
  const sampling = (async () => {
    while (isRunning) {
      const health = (await (await fetch(`${url}/healthz`)).json()) as {
        buffer: { depth: number };
      };
      maxDepth = Math.max(maxDepth, health.buffer.depth);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();

  return {
    async stop() {
      isRunning = false;
      await sampling;
      return maxDepth;
    },
  };
}

function startServer(dataDir: string, port: number): ChildProcess {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return spawn(
    process.execPath,
    [
      ...profile,
      join(repoRoot, 'bin', 'luca.mjs'),
      '--data-dir',
      dataDir,
      'serve',
      '--port',
      String(port),
      '--land-max-age-ms',
      String(landMaxAgeMs),
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, LUCA_LOG_LEVEL: 'warn' },
    },
  );
}

/** Baseline 1: the same events through validation + buffer appends, no HTTP. */
async function bufferBaseline(dataDir: string, all: Record<string, unknown>[][]) {
  const paths = ensureDataPaths(join(dataDir, 'baseline'));
  const buffer = new SqliteLandingBuffer({ dir: paths.buffer });
  const ingest = createIngestService({
    buffer,
    pseudonymizer: loadPseudonymizer(paths.secrets),
    logger: createLogger({ level: 'warn' }),
    highWaterMark: Number.MAX_SAFE_INTEGER,
  });
  const principal = { tenantId, role: 'ingest' as const, subject: 'bench', tokenId: undefined };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    all.map((events) => ingest.ingestBatch(principal, events, { traceId: 'ab'.repeat(16) })),
  );
  const ingestSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const ingestCpuSeconds = (cpu.user + cpu.system) / 1e6;

  const rows: BufferedEvent[] = buffer.read({
    firstSeq: 1,
    lastSeq: Number.MAX_SAFE_INTEGER,
    isResumed: false,
  });
  const rawBuffer = new SqliteLandingBuffer({ dir: join(paths.buffer, 'raw') });
  const rawStarted = performance.now();
  for (let i = 0; i < rows.length; i += batchSize)
    await rawBuffer.append(
      rows.slice(i, i + batchSize).map((row) => ({ ...row, event_id: newEventId() })),
    );
  const appendSeconds = (performance.now() - rawStarted) / 1000;
  rawBuffer.close();

  const landStarted = performance.now();
  const lander = await Lander.open({
    buffer,
    lakeRoot: paths.lake,
    logger: createLogger({ level: 'warn' }),
    threads: 2,
  });
  await lander.drainAll();
  const landSeconds = (performance.now() - landStarted) / 1000;
  lander.close();
  buffer.close();

  return { ingestSeconds, ingestCpuSeconds, appendSeconds, landSeconds };
}

/** The 1-, 5- and 15-minute load averages, to print next to every figure. */
function loadOf(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
}

const loadAtStart = loadOf();
const dataDir = mkdtempSync(join(tmpdir(), 'luca-bench-ingest-'));
let server: ChildProcess | undefined;
try {
  const all = batches();
  const bodies = all.map((events) => JSON.stringify({ events }));
  const baseline = await bufferBaseline(dataDir, all);

  const paths = ensureDataPaths(join(dataDir, 'http'));
  const token = await mintToken(await TokenKeys.load(paths.secrets), {
    tenantId,
    role: 'ingest',
    subject: 'bench',
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  server = startServer(paths.root, port);
  await waitForDepth(url, () => true, 120_000);
  const started = performance.now();
  const serverCpuBefore = processCpuSeconds(server.pid);
  const threadsBefore = threadCpuSeconds(server.pid);
  const clientCpuBefore = process.cpuUsage();
  const depthWatch = watchDepth(url);
  const load = await postBatches(url, token, bodies, connections);
  const maxDepth = await depthWatch.stop();
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const serverCpuAck = processCpuSeconds(server.pid);
  const threadsAck = threadCpuSeconds(server.pid);
  await waitForDepth(url, (depth) => depth === 0, 600_000);
  const landedSeconds = (performance.now() - started) / 1000;
  const serverCpuLanded = processCpuSeconds(server.pid);
  const threadsLanded = threadCpuSeconds(server.pid);
  const cpuDelta = (to: number | null) =>
    to === null || serverCpuBefore === null ? null : to - serverCpuBefore;
  const lake = await countStagedEvents(paths.lake);

  const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');
  const acknowledgedRate = load.acknowledged / load.seconds;
  const lines = [
    `events=${totalEvents} batch=${batchSize} connections=${connections} land-max-age-ms=${landMaxAgeMs} (noisy if other work shares the CPU)`,
    `load average ${loadAtStart} at the start, ${loadOf()} at the end (1, 5, 15 min); ${new Date().toISOString()}`,
    `http acknowledged (fsync'd):   ${rate(load.acknowledged, load.seconds)} events/s  (${load.requests} requests, ${load.throttled} throttled ${JSON.stringify(load.throttledCodes)}, ${load.failed} failed)`,
    `  server ${cpuCost(cpuDelta(serverCpuAck), load.acknowledged)} (ingest, lander loop included)`,
    `  per thread (us/event): ${threadCosts(threadsBefore, threadsAck, load.acknowledged)}`,
    `  client (this process, bodies pre-serialised) ${cpuCost((clientCpu.user + clientCpu.system) / 1e6, load.acknowledged)}`,
    `  request latency p50 ${percentile(load.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(load.latenciesMs, 99).toFixed(1)} ms`,
    `  buffer depth while posting: at most ${maxDepth.toLocaleString('en-US')} rows (sampled every 100 ms)`,
    `http landed (ack + lake):      ${rate(load.acknowledged, landedSeconds)} events/s  (staged behaviour rows: ${lake.behaviour.staged})`,
    `  server ${cpuCost(cpuDelta(serverCpuLanded), load.acknowledged)} (until the buffer is empty)`,
    `  per thread (us/event): ${threadCosts(threadsBefore, threadsLanded, load.acknowledged)}`,
    `baseline service, no HTTP:     ${rate(totalEvents, baseline.ingestSeconds)} events/s  (validate + pseudonymise + buffer)`,
    `  ${cpuCost(baseline.ingestCpuSeconds, totalEvents)}`,
    `baseline raw buffer appends:   ${rate(totalEvents, baseline.appendSeconds)} rows/s  (SQLite, groups of 500)`,
    `baseline raw lander:           ${rate(totalEvents, baseline.landSeconds)} rows/s  (buffer -> DuckDB -> Parquet)`,
    `ratio http ack / raw appends:  ${(acknowledgedRate / (totalEvents / baseline.appendSeconds)).toFixed(2)}`,
    `ratio http ack / service:      ${(acknowledgedRate / (totalEvents / baseline.ingestSeconds)).toFixed(2)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    // A clean exit lets `--cpu-prof` write its profiles.
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
  rmSync(dataDir, { recursive: true, force: true });
}
