/**
 * The bench's server process: `BENCH_MODE=session` runs the real read API
 * (`startReadApi`), `BENCH_MODE=bare` a bare Fastify route doing one Redis GET
 * with the same client settings. Prints `{"url": ...}` once listening. Over
 * the IPC channel, the message `'stats'` answers what the process went
 * through since the last `'stats'`: its garbage collections and event-loop
 * delay (`ServerStats`); `'profile-start'` starts a CPU profile and
 * `{ profileStop: <file> }` writes it to the file and answers `{ profile: <file> }`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import Fastify from 'fastify';
import { createLogger, dataPaths } from '../../core/index.js';
import { createServingRedis, startReadApi, tenantKeys } from '../../serving/session/index.js';

const env = process.env;
const redisUrl = env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisDb = Number(env.BENCH_REDIS_DB ?? 3);
const prefix = env.BENCH_PREFIX ?? 'bench:';

async function startBare(): Promise<string> {
  const redis = createServingRedis(redisUrl, { db: redisDb });
  const app = Fastify({ logger: false });
  app.get<{ Params: { tenant: string; student: string } }>(
    '/bare/:tenant/:student',
    async (request, reply) => {
      const { tenant, student } = request.params;
      const doc = await redis.get(tenantKeys(prefix, tenant).snapshot('v1', student));
      reply.header('content-type', 'application/json');

      return doc ?? '{}';
    },
  );

  return app.listen({ port: 0, host: '127.0.0.1' });
}

async function startSession(): Promise<string> {
  const api = await startReadApi({
    paths: dataPaths(env.LUCA_DATA_DIR),
    redisUrl,
    redisDb,
    keyPrefix: prefix,
    logger: createLogger({ level: env.LUCA_LOG_LEVEL ?? 'warn' }),
  });

  return api.url;
}

/** Collections of one kind: how many, their total and their longest pause (ms). */
export interface GcFigures {
  count: number;
  totalMs: number;
  maxMs: number;
}

/** What a server process went through between two `'stats'` messages. */
export interface ServerStats {
  gc: Record<'minor' | 'major' | 'incremental' | 'weakcb', GcFigures>;
  /** How late the event loop ran a timer beyond its interval (ms): the stalls. */
  eventLoopDelay: { p99Ms: number; maxMs: number };
}

const gcKinds: Record<number, keyof ServerStats['gc']> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

function emptyGc(): ServerStats['gc'] {
  const none = () => ({ count: 0, totalMs: 0, maxMs: 0 });

  return { minor: none(), major: none(), incremental: none(), weakcb: none() };
}

let gc = emptyGc();
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
    const kind = gcKinds[detail?.kind ?? -1];
    if (!kind) continue;
    const figures = gc[kind];
    figures.count += 1;
    figures.totalMs += entry.duration;
    figures.maxMs = Math.max(figures.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });
const loopResolutionMs = 10;
const loopDelay = monitorEventLoopDelay({ resolution: loopResolutionMs });
loopDelay.enable();
// The histogram holds whole intervals between timer runs; less the interval, the lateness.
const lateMs = (ns: number) => Math.max(0, ns / 1e6 - loopResolutionMs);
let profiler: Session | undefined;
async function onProfileMessage(message: unknown): Promise<void> {
  if (message === 'profile-start') {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    process.send?.({ profiling: true });
    return;
  }
  const file = (message as { profileStop?: string } | null)?.profileStop;
  if (!file || !profiler) return;
  const { profile } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  profiler = undefined;
  writeFileSync(file, JSON.stringify(profile));
  process.send?.({ profile: file });
}

process.on('message', (message) => {
  if (message !== 'stats') {
    void onProfileMessage(message);
    return;
  }
  const stats: ServerStats = {
    gc,
    eventLoopDelay: { p99Ms: lateMs(loopDelay.percentile(99)), maxMs: lateMs(loopDelay.max) },
  };
  gc = emptyGc();
  loopDelay.reset();
  process.send?.(stats);
});

const url = env.BENCH_MODE === 'bare' ? await startBare() : await startSession();
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once('SIGTERM', () => process.exit(0));
