import autocannon from 'autocannon';

/** One pre-built request: a path and the bearer token allowed to read it. */
export interface BenchRequest {
  path: string;
  authorization?: string;
}

export interface LoadFigures {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Server CPU time per request (µs), when the caller measured it. */
  cpuUsPerRequest?: number;
  /** Redis's CPU time per request (µs), when Redis runs on this machine. */
  redisCpuUsPerRequest?: number;
  /** The load generator's own CPU time per request (µs). */
  clientCpuUsPerRequest?: number;
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
  /** Paced runs: p99 of how late the client sent a request (ms), part of every latency. */
  sendLagP99?: number;
  /** Paced runs: the requests slower than `slowMs` and how they bunch up in time. */
  slow?: SlowRequests;
}

/**
 * Requests slower than a threshold, grouped into bursts: slow requests whose
 * due times lie less than the threshold apart belong to one burst. Few long
 * bursts mean the server (or the machine) stalled now and then; many single
 * slow requests would mean a slow path.
 */
export interface SlowRequests {
  readonly thresholdMs: number;
  readonly count: number;
  readonly bursts: number;
  /** From the first slow request's due time to the last one's, in the longest burst (ms). */
  readonly longestBurstMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;

  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/**
 * Runs autocannon against `url` picking a random pre-built request each time.
 * `rate` fixes the offered load (requests/s); without it, connections run flat out.
 * `everyOnce` sends each pool request exactly once instead (a warm-up that puts
 * every token in the server's verification cache, as a user's first read does).
 * Percentiles come from every response time, not autocannon's buckets.
 */
export async function runLoad(
  url: string,
  pool: BenchRequest[],
  options: { seconds: number; connections: number; rate?: number; everyOnce?: boolean },
): Promise<LoadFigures> {
  const times: number[] = [];
  let next = 0;
  const pick = options.everyOnce
    ? () => pool[next++ % pool.length] as BenchRequest
    : () => pool[Math.floor(Math.random() * pool.length)] as BenchRequest;
  const statuses: Record<string, number> = {};
  const instance = autocannon({
    url,
    connections: options.connections,
    ...(options.everyOnce ? { amount: pool.length } : { duration: options.seconds }),
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        setupRequest: (request) => {
          const chosen = pick();
          request.path = chosen.path;
          request.headers = chosen.authorization ? { authorization: chosen.authorization } : {};

          return request;
        },
      },
    ],
  });
  const emitter = instance as unknown as NodeJS.EventEmitter;
  emitter.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    times.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const result = await instance;
  times.sort((a, b) => a - b);

  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.total / options.seconds),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statuses,
  };
}
