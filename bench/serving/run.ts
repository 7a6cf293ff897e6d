/**
 * Session read API benchmark: publishes N students into Redis, starts the real
 * read API and a bare Fastify route doing one Redis GET (each in a child
 * process), and drives both with autocannon: flat out (throughput) and at a
 * fixed rate (latency). Prints req/s, p50/p95/p99, the ratio to the bare route,
 * and the latency budget of one read.
 *
 *   npx tsx bench/serving/run.ts [--students 100000] [--seconds 10] [--rate 3000]
 *     [--tenants 20] [--connections 64] [--pool 4000] [--redis redis://127.0.0.1:6379] [--db 3]
 *     [--only flat|paced]
 *   npx tsx bench/serving/run.ts --quick      # 5,000 students, 3 s runs
 *
 * The fixed-rate figures come from an open-loop pacer (`paced-load.ts`):
 * autocannon's `overallRate` sends each second's quota in a burst, so its
 * rate-limited run is printed too, labelled as such, but judged on neither.
 * Under each paced row: the requests slower than 10 ms and the bursts they
 * form, and what the server process went through during the run (garbage
 * collections, event-loop lateness, from `server.ts` over IPC), so a p99 can
 * be told apart from a stall.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  ensureDataPaths,
  mintToken,
  Pseudonymizer,
  type Role,
  TokenKeys,
} from '../../core/index.js';
import { Redis } from 'ioredis';
import { parseBenchArgs } from '../bench-args.js';
import { cleanUpOnInterrupt } from '../interrupt.js';
import { deleteKeysWithPrefix } from '../redis-keys.js';
import { histogramMeanMs, measureCpuSteps, measureFsync } from './budget.js';
import { type BenchRequest, type LoadFigures, runLoad } from './load.js';
import { runPacedLoad } from './paced-load.js';
import { type CpuProfile, formatProfileSummary, summarizeProfile } from './profile-summary.js';
import type { GcFigures, ServerStats } from './server.js';
import { type BenchStudent, populate } from './populate.js';
import { realDocumentTemplates } from './real-documents.js';

const parsed = parseBenchArgs({
  usage: `Usage:
  npx tsx bench/serving/run.ts [--students 100000] [--seconds 10] [--rate 3000]
    [--tenants 20] [--connections 64] [--pool 4000] [--redis redis://127.0.0.1:6379] [--db 3]
    [--only flat|paced]
  npx tsx bench/serving/run.ts --quick      # 5,000 students, 3 s runs

--redis defaults to LUCA_REDIS_URL when set. --only runs just that load on the session API
(with BENCH_CPU_PROF set, a CPU profile of it).`,
  options: {
    students: { type: 'string', default: '100000' },
    tenants: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '3000' },
    connections: { type: 'string', default: '64' },
    pool: { type: 'string', default: '4000' },
    redis: { type: 'string', default: process.env.LUCA_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    db: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    /** `flat` or `paced`: only that run of the session API (with BENCH_CPU_PROF, a profile of it). */
    only: { type: 'string' },
  },
});
const args = parsed.values;
const count = args.quick ? 5_000 : parsed.number('students', { isWhole: true });
const seconds = args.quick ? 3 : parsed.number('seconds');
const tenants = parsed.number('tenants', { isWhole: true });
const poolSize = parsed.number('pool', { isWhole: true });
const db = parsed.number('db', { min: 0, isWhole: true });
const connections = parsed.number('connections', { isWhole: true });
const rate = parsed.number('rate');
const only = parsed.choice('only', ['flat', 'paced']);
const log = (fields: Record<string, unknown>, message: string) =>
  process.stderr.write(`${JSON.stringify({ bench: 'serving', msg: message, ...fields })}\n`);

async function startServer(mode: 'session' | 'bare', env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/serving/server.ts'], {
    env: { ...process.env, ...env, BENCH_MODE: mode },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} server exited ${code}`)));
    child.stdout?.once('data', (chunk) =>
      resolve(JSON.parse(String(chunk).split('\n')[0] as string).url),
    );
  });

  return { child, url };
}

async function mixedRequests(keys: TokenKeys, students: BenchStudent[], size: number) {
  const pool: BenchRequest[] = [];
  const roles: Role[] = ['school_admin', 'teacher', 'guardian', 'student'];
  for (let i = 0; i < size; i++) {
    const s = students[Math.floor(Math.random() * students.length)] as BenchStudent;
    const role = roles[i % roles.length] as Role;
    const subject = {
      school_admin: 'admin',
      teacher: `tc-${s.groupId}`,
      guardian: s.guardianId,
      student: s.studentId,
    }[role as 'school_admin'];
    const token = await mintToken(keys, { tenantId: s.tenantId, role, subject, ttlSeconds: 3600 });
    pool.push({ path: `/v1/students/${s.studentId}/session`, authorization: `Bearer ${token}` });
  }

  return pool;
}

/** Sends `message` to a bench server and resolves with its first answer that `isAnswer` accepts. */
function askServer<T>(
  child: ChildProcess,
  message: unknown,
  isAnswer: (answer: unknown) => boolean,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (answer: unknown) => {
      if (!isAnswer(answer)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(answer as T);
    };
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`server did not answer ${JSON.stringify(message)} within 30 s`));
    }, 30_000);
    child.on('message', onMessage);
    child.send(message as string);
  });
}

/** The server's garbage collections and event-loop delay since the last call (`server.ts`). */
function statsOf(child: ChildProcess): Promise<ServerStats> {
  return askServer(
    child,
    'stats',
    (answer) => typeof answer === 'object' && answer !== null && 'gc' in answer,
  );
}

/** Runs `load` under a CPU profile of the server and prints where its time went. */
async function profiled<T>(child: ChildProcess, name: string, load: () => Promise<T>): Promise<T> {
  const dir = '/tmp/luca-prof';
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
  const isProfiling = (answer: unknown) => (answer as { profiling?: boolean }).profiling === true;
  await askServer(child, 'profile-start', isProfiling);
  const result = await load();
  await askServer(
    child,
    { profileStop: file },
    (answer) => (answer as { profile?: string }).profile === file,
  );
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, {
    projectRoot: `${process.cwd()}/`,
  });
  process.stdout.write(
    `CPU profile of the ${name} server during the run: ${file}\n${formatProfileSummary(summary)}\n`,
  );

  return result;
}

/** A paced run with what the server went through during it. */
async function pacedWithStats(
  server: { child: ChildProcess; url: string },
  pool: BenchRequest[],
): Promise<LoadFigures & { server: ServerStats }> {
  await statsOf(server.child);
  const figures = await runPacedLoad(server.url, pool, {
    seconds,
    connections,
    rate,
    serverCpuMs: () => cpuMsOf(server.child),
  });

  return { ...figures, server: await statsOf(server.child) };
}

/**
 * Where a paced run's slow requests came from: how they bunch up (client
 * side) and the server's collections and event-loop delay over the run.
 */
function stallRow(f: LoadFigures & { server: ServerStats }): string {
  const { slow, server } = f;
  const gc = (name: string, g: GcFigures) =>
    `${g.count} ${name} (${Math.round(g.totalMs)} ms, longest ${g.maxMs.toFixed(1)})`;
  const bursts = slow
    ? `${slow.count} over ${slow.thresholdMs} ms (${((100 * slow.count) / Math.max(1, f.requests)).toFixed(1)}%) in ${slow.bursts} bursts, longest ${slow.longestBurstMs.toFixed(0)} ms`
    : '';

  return `      ${bursts}; server: ${gc('major GCs', server.gc.major)}, ${gc('minor', server.gc.minor)}, event loop late p99 ${server.eventLoopDelay.p99Ms.toFixed(1)} ms, max ${server.eventLoopDelay.maxMs.toFixed(1)} ms`;
}

/** CPU time (ms, user + system, every thread) a process has used so far. */
function cpuMsOfPid(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];

  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function cpuMsOf(child: ChildProcess): number {
  return cpuMsOfPid(child.pid);
}

/** This process's CPU time so far (ms): the load generator's share. */
function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();

  return (user + system) / 1000;
}

/**
 * The Redis server's CPU time so far (ms) when it runs on this machine, else
 * undefined: both servers and the load generator share the same two cores, so
 * Redis's share per request tells how much of the machine a route leaves to
 * Fastify.
 */
let redisPid: number | undefined;
function redisCpuMs(): number | undefined {
  try {
    return redisPid === undefined ? undefined : cpuMsOfPid(redisPid);
  } catch {
    return undefined;
  }
}

/**
 * Runs a load and adds the server's CPU time per answered request: unlike
 * latency, it barely moves when other processes compete for the cores.
 */
async function loadWithCpu(
  child: ChildProcess,
  load: () => Promise<LoadFigures>,
): Promise<LoadFigures> {
  const before = { server: cpuMsOf(child), redis: redisCpuMs(), client: ownCpuMs() };
  const figures = await load();
  const perRequest = (ms: number) => (ms * 1000) / Math.max(1, figures.requests);
  const redisAfter = redisCpuMs();

  return {
    ...figures,
    cpuUsPerRequest: perRequest(cpuMsOf(child) - before.server),
    clientCpuUsPerRequest: perRequest(ownCpuMs() - before.client),
    ...(redisAfter !== undefined && before.redis !== undefined
      ? { redisCpuUsPerRequest: perRequest(redisAfter - before.redis) }
      : {}),
  };
}

/** `/metrics` once the server stops shedding load (it may answer 503 right after a run). */
async function metricsOf(url: string): Promise<string> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const res = await fetch(`${url}/metrics`);
    if (res.ok) return res.text();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('/metrics kept answering non-200 for 10 s');
}

/** One run of the session API alone, for profiling one kind of load. */
async function onlyOne(
  kind: string,
  session: { child: ChildProcess; url: string },
  pool: BenchRequest[],
): Promise<void> {
  const run = async () => {
    if (kind === 'paced') {
      const figures = await pacedWithStats(session, pool);
      return `${row(`session read API, ${kind}`, figures)}\n${stallRow(figures)}`;
    }
    const figures = await loadWithCpu(session.child, () =>
      runLoad(session.url, pool, { seconds, connections }),
    );
    return row(`session read API, ${kind}`, figures);
  };
  const text = process.env.BENCH_CPU_PROF
    ? await profiled(session.child, `session-${kind}`, run)
    : await run();
  process.stdout.write(`${text}\n`);
}

function stop(child: ChildProcess): Promise<void> {
  // A Ctrl-C reaches the servers too: one may be gone already.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();

  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function row(name: string, f: LoadFigures): string {
  const fmt = (ms: number) => ms.toFixed(1).padStart(6);
  const lag =
    f.sendLagP99 === undefined ? '' : `  client send lag p99 ${f.sendLagP99.toFixed(1)} ms`;
  const shares =
    f.redisCpuUsPerRequest === undefined
      ? ''
      : `  (redis ${Math.round(f.redisCpuUsPerRequest)}, load generator ${Math.round(f.clientCpuUsPerRequest ?? 0)} µs/req)`;

  return `${name.padEnd(26)} ${String(f.rps).padStart(7)} req/s  p50 ${fmt(f.p50)}  p95 ${fmt(f.p95)}  p99 ${fmt(f.p99)} ms  cpu ${Math.round(f.cpuUsPerRequest ?? 0)} µs/req  errors ${f.errors}  statuses ${JSON.stringify(f.statuses)}${lag}${shares}`;
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * A full collection in this process, the load generator's, before a timed
 * run: publishing 100,000 documents of 9 KB leaves about a gigabyte of
 * strings behind, and collecting them during a paced run held the pacer up
 * for tens of milliseconds, which counted as the server's latency.
 */
function settleClient(): void {
  collectGarbage();
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'luca-bench-serving-'));
  const paths = ensureDataPaths(root);
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  const keyHex = randomBytes(32).toString('hex');
  // The loader's own client: offline queue on, no command timeout (bulk writes).
  const redis = new Redis(args.redis, { db });
  const serverInfo = await redis.info('server');
  const pidField = /process_id:(\d+)/.exec(serverInfo)?.[1];
  redisPid = pidField === undefined ? undefined : Number(pidField);
  if (redisCpuMs() === undefined) redisPid = undefined;
  const keys = await TokenKeys.load(paths.secrets);
  const env = {
    LUCA_DATA_DIR: root,
    LUCA_PSEUDONYM_KEY: keyHex,
    BENCH_REDIS_URL: args.redis,
    BENCH_REDIS_DB: args.db,
    BENCH_PREFIX: prefix,
  };
  const servers: ChildProcess[] = [];
  // Stops the servers and removes the bench's keys and files, whether the run
  // ends, fails or is interrupted (Ctrl-C).
  const cleanUp = cleanUpOnInterrupt(async () => {
    await Promise.all(servers.map(stop));
    const removed = await deleteKeysWithPrefix(redis, prefix).catch((err) => {
      log({ err: String(err) }, 'clean-up failed; delete the prefix by hand');
      return 0;
    });
    log({ keys_removed: removed, prefix }, 'cleaned up');
    redis.disconnect();
    rmSync(root, { recursive: true, force: true });
  });
  try {
    log({ redis: `${args.redis}/${db}` }, 'publishing real documents (the demo pipeline)');
    const templates = await realDocumentTemplates(`${args.redis}/${db}`);
    log({ students: count, tenants, templates: templates.length }, 'publishing');
    const pseudonymizer = new Pseudonymizer(Buffer.from(keyHex, 'hex'));
    const data = await populate(redis, prefix, pseudonymizer, { count, tenants, templates });
    log(
      {
        publish_ms: Math.round(data.publishedMs),
        acl_ms: data.aclMs,
        mean_document_bytes: data.meanDocumentBytes,
      },
      'published',
    );
    const pool = await mixedRequests(keys, data.students, poolSize);
    settleClient();
    const barePool = pool.map((_request, i) => {
      const s = data.students[i % data.students.length] as BenchStudent;
      return { path: `/bare/${s.tenantId}/${s.pseudonym}` };
    });

    const session = await startServer('session', env);
    const bare = await startServer('bare', env);
    servers.push(session.child, bare.child);

    log({ requests: pool.length }, 'warming up');
    // Each token once, so the timed runs see a warm token cache (steady state).
    await runLoad(session.url, pool, { seconds: 2, connections, everyOnce: true });
    await runLoad(session.url, pool, { seconds: 2, connections });
    await runLoad(bare.url, barePool, { seconds: 2, connections });
    settleClient();
    log({ seconds, connections }, 'flat out');
    if (only) {
      await onlyOne(only, session, pool);
      return;
    }
    const sessionMax = await loadWithCpu(session.child, () =>
      runLoad(session.url, pool, { seconds, connections }),
    );
    const bareMax = await loadWithCpu(bare.child, () =>
      runLoad(bare.url, barePool, { seconds, connections }),
    );
    settleClient();
    log({ seconds, rate }, 'fixed rate, paced');
    const sessionRate = await pacedWithStats(session, pool);
    const metrics = await metricsOf(session.url);
    settleClient();
    const bareRate = await pacedWithStats(bare, barePool);
    log({ seconds, rate }, 'fixed rate, autocannon quota');
    const sessionQuota = await runLoad(session.url, pool, { seconds, connections, rate });
    const bareQuota = await runLoad(bare.url, barePool, { seconds, connections, rate });

    report({ sessionMax, bareMax, sessionRate, bareRate, sessionQuota, bareQuota, rate, data });
    const sample =
      (await redis.get(
        `${prefix}{${data.students[0]?.tenantId}}:snap:v1:${data.students[0]?.pseudonym}`,
      )) ?? '{}';
    const cpu = await measureCpuSteps(keys, sample);
    budget(metrics, cpu);
    const disk = measureFsync(root);
    process.stdout.write(
      `disk commit latency now (1-row WAL commit + fsync): p50 ${disk.p50.toFixed(2)} ms, p99 ${disk.p99.toFixed(2)} ms\n`,
    );
  } finally {
    await cleanUp();
  }
}

/**
 * The latency target on the paced run: offered at 3,000 req/s or more, every
 * request answered 200, the answers keeping pace (the last answer's own
 * latency makes the measured rate a hair under the offered one), p99 < 10 ms.
 */
function isLatencyTargetMet(f: LoadFigures, offered: number): boolean {
  const isAllOk = f.errors === 0 && f.non2xx === 0 && (f.statuses['200'] ?? 0) === f.requests;

  return offered >= 3000 && isAllOk && f.rps >= 0.99 * offered && f.p99 < 10;
}

function report(r: {
  sessionMax: LoadFigures;
  bareMax: LoadFigures;
  sessionRate: LoadFigures & { server: ServerStats };
  bareRate: LoadFigures & { server: ServerStats };
  sessionQuota: LoadFigures;
  bareQuota: LoadFigures;
  rate: number;
  data: { publishedMs: number; aclMs: number; meanDocumentBytes: number };
}) {
  const out = [
    `students ${count} (real documents, ${r.data.meanDocumentBytes} bytes on average), published in ${Math.round(r.data.publishedMs)} ms, ACL loaded in ${r.data.aclMs} ms`,
    `flat out (${args.connections} connections, ${seconds} s):`,
    row('  session read API', r.sessionMax),
    row('  bare route (1 Redis GET)', r.bareMax),
    `  throughput ratio session/bare: ${(r.sessionMax.rps / Math.max(1, r.bareMax.rps)).toFixed(2)} (target >= 0.5)`,
    `fixed rate ${r.rate} req/s, open loop, latency from each request's due time (up to ${args.connections} connections, ${seconds} s):`,
    row('  session read API', r.sessionRate),
    stallRow(r.sessionRate),
    row('  bare route (1 Redis GET)', r.bareRate),
    stallRow(r.bareRate),
    `  target: p99 < 10 ms at >= 3000 req/s offered, every request answered 200 and the answers keeping up (>= 99% of the offered rate) -> ${isLatencyTargetMet(r.sessionRate, r.rate) ? 'met' : 'NOT met'}`,
    `autocannon overallRate ${r.rate} (each second's quota sent in a burst; not a fixed rate):`,
    row('  session read API', r.sessionQuota),
    row('  bare route (1 Redis GET)', r.bareQuota),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

function budget(metrics: string, cpu: Awaited<ReturnType<typeof measureCpuSteps>>) {
  const route = 'route="/v1/students/:studentId/session"';
  const http = histogramMeanMs(metrics, 'luca_http_request_duration_seconds', route);
  const steps = [
    ['verify token (ES256)', cpu.verifyTokenUs / 1000],
    ['pseudonymise caller + student (HMAC x2)', (2 * cpu.pseudonymUs) / 1000],
    [
      'Redis read script (1 round trip)',
      histogramMeanMs(metrics, 'luca_redis_command_duration_seconds', 'outcome="ok"'),
    ],
    ['splice snapshot + signals', cpu.spliceUs / 1000],
    ['audit group commit (fsync)', histogramMeanMs(metrics, 'luca_audit_group_commit_seconds', '')],
  ] as const;
  const known = steps.reduce((sum, [, ms]) => sum + ms, 0);
  const lines = [
    'latency budget (mean, server side, all runs):',
    `  | step | mean ms | share |`,
    '  |---|---|---|',
  ];
  for (const [name, ms] of [
    ...steps,
    ['fastify, hooks, rate limit, other', http - known] as const,
  ]) {
    lines.push(`  | ${name} | ${ms.toFixed(3)} | ${((ms / http) * 100).toFixed(0)}% |`);
  }
  lines.push(`  | total (onRequest to onResponse) | ${http.toFixed(3)} | 100% |`);
  lines.push(
    `  audit rows per group commit (mean): ${(histogramMeanMs(metrics, 'luca_audit_group_rows', '') / 1000).toFixed(1)}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
