import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The stable code of the problem+json answer, set by `sendProblem`. */
    problemCode?: string;
  }
}

/**
 * Which requests leave a `request completed` line. Server errors and slow
 * requests always do; the rest are sampled by trace id, so one sampled trace
 * is logged whole by every service that uses the same rate, and counts can be
 * re-weighted from the `sample_rate` each line carries.
 */
export interface RequestLogPolicy {
  /** Share of 1xx-3xx answers logged (0-1). */
  readonly successRate: number;
  /** Share of 4xx answers and of 503 load shedding logged (0-1). */
  readonly clientErrorRate: number;
  /** Answers slower than this are always logged, at `warn`. */
  readonly slowMs: number;
}

/** Every request logged: tests, the demo and a laptop. */
export const fullRequestLog: RequestLogPolicy = { successRate: 1, clientErrorRate: 1, slowMs: 250 };

/**
 * What `luca serve` logs by default: at 3,000 reads/s a line per read is about
 * 260 million lines a day (docs/observability.md); 1% of reads and 10% of
 * refusals keep the shape of the traffic for a hundredth of the volume.
 */
export const sampledRequestLog: RequestLogPolicy = {
  successRate: 0.01,
  clientErrorRate: 0.1,
  slowMs: 250,
};

/**
 * True when a trace falls inside `rate`: its last 8 hex digits read as a
 * fraction of 2^32. W3C trace ids are random in those digits, so the share
 * holds, and the same trace gets the same answer everywhere.
 */
export function isTraceSampled(traceId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  const tail = Number.parseInt(traceId.slice(-8), 16);

  return Number.isFinite(tail) && tail / 0x1_0000_0000 < rate;
}

/** The level and sample rate of a finished request's line, or undefined for none. */
export function requestLineOf(
  policy: RequestLogPolicy,
  traceId: string,
  status: number,
  elapsedMs: number,
): { level: 'error' | 'warn' | 'info'; rate: number } | undefined {
  if (status >= 500 && status !== 503) return { level: 'error', rate: 1 };
  if (elapsedMs >= policy.slowMs) return { level: 'warn', rate: 1 };
  const rate = status >= 400 ? policy.clientErrorRate : policy.successRate;

  return isTraceSampled(traceId, rate) ? { level: 'info', rate } : undefined;
}

/** Pino's (and the lazy request logger's) level check, which Fastify's logger type leaves out. */
function isEnabled(log: FastifyRequest['log'], level: string): boolean {
  return (log as unknown as { isLevelEnabled(level: string): boolean }).isLevelEnabled(level);
}

function logCompleted(policy: RequestLogPolicy, request: FastifyRequest, reply: FastifyReply) {
  const elapsedMs = reply.elapsedTime;
  const line = requestLineOf(policy, request.id, reply.statusCode, elapsedMs);
  if (!line || !isEnabled(request.log, line.level)) return;
  const principal = request.principal;
  request.log[line.level](
    {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      http_status: reply.statusCode,
      code: request.problemCode,
      duration_ms: Math.round(elapsedMs * 100) / 100,
      tenant_id: principal?.tenantId,
      role: principal?.role,
      sample_rate: line.rate,
    },
    'request completed',
  );
}

/**
 * Replaces Fastify's two lines per request (`incoming request`, `request
 * completed`; the app turns them off) with one line after the answer,
 * sampled by `policy`. The line names the route pattern, never the URL, so a
 * student id in the path does not reach the logs.
 *
 * @example
 * installRequestLog(app, sampledRequestLog);
 */
export function installRequestLog(app: FastifyInstance, policy: RequestLogPolicy): void {
  app.addHook('onResponse', (request, reply, done) => {
    logCompleted(policy, request, reply);
    done();
  });
}
