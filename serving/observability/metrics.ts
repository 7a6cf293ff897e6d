import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { GroupTimer } from '../audit/index.js';
import type { RedisTimer } from '../session/read-script.js';

const latencyBuckets = [
  0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];

/**
 * The golden signals of the read API in one Prometheus registry: latency per
 * route and per Redis call, traffic, errors by code, and saturation (requests
 * in flight, event-loop lag from the default Node metrics, audit groups).
 */
export class ServingMetrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'luca_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['route', 'method', 'status_class'],
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: 'luca_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'method', 'status'],
    registers: [this.registry],
  });
  readonly httpErrors = new Counter({
    name: 'luca_http_errors_total',
    help: 'HTTP error responses by route and error code',
    labelNames: ['route', 'code'],
    registers: [this.registry],
  });
  /** Requests being served; a plain number, read into the gauge only when scraped. */
  inFlightCount = 0;
  readonly inFlight: Gauge = new Gauge({
    name: 'luca_http_in_flight_requests',
    help: 'Requests being served right now',
    registers: [this.registry],
    collect: (): void => this.inFlight.set(this.inFlightCount),
  });
  readonly redisDuration = new Histogram({
    name: 'luca_redis_command_duration_seconds',
    help: 'Redis call latency by command and outcome',
    labelNames: ['command', 'outcome'],
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  readonly auditGroupRows = new Histogram({
    name: 'luca_audit_group_rows',
    help: 'Audit records per group commit',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024],
    registers: [this.registry],
  });
  readonly auditGroupDuration = new Histogram({
    name: 'luca_audit_group_commit_seconds',
    help: 'Time to write and fsync one audit group',
    buckets: latencyBuckets,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
  }

  /** Feeds the Redis histogram; pass to `SessionStore`. */
  readonly redisTimer: RedisTimer = (command, seconds, ok) => {
    const key = ok ? command : `${command} error`;
    let bound = this.#redisSeries.get(key);
    if (!bound) {
      bound = this.redisDuration.labels({ command, outcome: ok ? 'ok' : 'error' });
      this.#redisSeries.set(key, bound);
    }
    bound.observe(seconds);
  };

  readonly #redisSeries = new Map<string, { observe(value: number): void }>();

  /** Feeds the audit histograms; pass to `AuditLog.open`. */
  readonly auditTimer: GroupTimer = (rows, seconds) => {
    this.auditGroupRows.observe(rows);
    this.auditGroupDuration.observe(seconds);
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    metricsStartedAt?: number;
    errorCode?: string;
  }
}

/** The labelled series of one route, method and status, bound once instead of per request. */
interface RouteSeries {
  readonly duration: { observe(value: number): void };
  readonly requests: { inc(): void };
}

function bindSeries(
  metrics: ServingMetrics,
  route: string,
  method: string,
  status: number,
): RouteSeries {
  const statusClass = `${Math.floor(status / 100)}xx`;

  return {
    duration: metrics.httpDuration.labels({ route, method, status_class: statusClass }),
    requests: metrics.httpRequests.labels({ route, method, status: String(status) }),
  };
}

/**
 * Adds the request hooks that feed the metrics and serves them at `/metrics`.
 * Call on the root instance so the hooks see every route.
 */
export function installMetrics(app: FastifyInstance, metrics: ServingMetrics): void {
  // Callback-style hooks: no promise and no microtask per request.
  app.addHook('onRequest', (request, _reply, done) => {
    request.metricsStartedAt = performance.now();
    metrics.inFlightCount += 1;
    done();
  });
  app.addHook('onError', (request, _reply, error, done) => {
    request.errorCode = (error as { code?: string }).code ?? 'INTERNAL';
    done();
  });
  const series = new Map<string, RouteSeries>();
  app.addHook('onResponse', (request, reply, done) => {
    metrics.inFlightCount -= 1;
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const seconds = (performance.now() - (request.metricsStartedAt ?? performance.now())) / 1000;
    const key = `${route} ${request.method} ${status}`;
    let bound = series.get(key);
    if (!bound) {
      bound = bindSeries(metrics, route, request.method, status);
      series.set(key, bound);
    }
    bound.duration.observe(seconds);
    bound.requests.inc();
    if (status >= 400) metrics.httpErrors.inc({ route, code: request.errorCode ?? String(status) });
    done();
  });
  app.get(
    '/metrics',
    { schema: { hide: true }, config: { isPublic: true } },
    async (_req, reply) => {
      reply.header('content-type', metrics.registry.contentType);

      return metrics.registry.metrics();
    },
  );
}
