import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { DataPaths, Logger, TokenVerifier } from '../core/index.js';
import { type IngestService, ingestRoutes, maxBatchBytes } from '../pipelines/index.js';
import { registerAuth } from './http/auth.js';
import { httpErrors } from './http/errors.js';
import { type HealthCheck, healthRoutes } from './http/health.js';
import { sendProblem } from './http/problem.js';
import { installRequestLog, fullRequestLog, type RequestLogPolicy } from './http/request-log.js';
import { lazyRequestLogger } from './http/request-logger.js';
import { requestTraceId } from './http/trace.js';
import { type ReadApiDeps, registerReadApi } from './session/index.js';
import { cutoffRoutes } from './routes/cutoffs.js';
import { evaluationRoutes } from './routes/evaluations.js';
import type { GradesStore } from '../jobs/grades/store/index.js';
import type { SyncLedger } from '../jobs/sync/index.js';

/**
 * What the app is built from. Every area's dependency is optional: a route
 * plugin is registered only when its dependency is given, so tests build the
 * app with just what they exercise. A new area adds one optional field here
 * and one line in `registerAreaRoutes`.
 */
export interface AppDeps {
  logger: Logger;
  verifyToken: TokenVerifier;
  /** The data directory, for routes that read local state. */
  paths?: DataPaths;
  /** `POST /v1/events`. */
  ingest?: IngestService;
  /** The session read API, `/docs`, `/metrics`, `/readyz` (see `openReadApiDeps`). */
  readApi?: ReadApiDeps;
  /** `GET /v1/cutoffs/{id}/status` (the sync ledger, e.g. `openSqliteLedger(paths.state)`). */
  syncLedger?: SyncLedger;
  /** `/v1/evaluations` (record, correct, void). */
  gradesStore?: GradesStore;
  /** Extra `/healthz` figures by name, e.g. `{ buffer: () => buffer.stats() }`. */
  health?: Readonly<Record<string, HealthCheck>>;
  /** Event-loop delay (ms) beyond which requests get `503` + `Retry-After` (default 2000). */
  maxEventLoopDelayMs?: number;
  /** Which requests leave a `request completed` line (default: every one). */
  requestLog?: RequestLogPolicy;
}

/** Route plugins, one line per area. Each receives the app's deps. */
async function registerAreaRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  if (deps.readApi) await registerReadApi(app, deps.readApi);
  if (deps.ingest) await app.register(ingestRoutes, { ingest: deps.ingest });
  if (deps.syncLedger) await app.register(cutoffRoutes, { ledger: deps.syncLedger });
  if (deps.gradesStore) await app.register(evaluationRoutes, { store: deps.gradesStore });
}

function registerOverloadGuard(
  app: FastifyInstance,
  deps: AppDeps,
): Promise<void> | FastifyInstance {
  return app.register(underPressure, {
    maxEventLoopDelay: deps.maxEventLoopDelayMs ?? 2000,
    exposeStatusRoute: false,
    pressureHandler: (request, reply, type) => {
      const err = httpErrors.create(
        'HTTP_ERR_OVERLOADED',
        `Server under ${type} pressure; retry.`,
        {
          details: { retry_after_seconds: 2 },
        },
      );
      sendProblem(err, request, reply);
    },
  });
}

/**
 * Builds the Fastify app: trace ids from `traceparent`, the bearer-token hook,
 * problem+json errors, `/healthz` and every area's routes.
 *
 * @example
 * const app = await buildApp({ logger, verifyToken: createTokenVerifier(keys), ingest });
 * await app.listen({ port: 0, host: '127.0.0.1' });
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: requestTraceId,
    requestIdHeader: false,
    // Fastify's two lines per request are off: installRequestLog writes one, sampled.
    logController: new LogController({
      requestIdLogLabel: 'trace_id',
      disableRequestLogging: true,
    }),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: maxBatchBytes,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;

  // The API speaks JSON only: any other body type answers 415.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((err, request, reply) => sendProblem(err, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      httpErrors.create(
        'HTTP_ERR_NOT_FOUND',
        `No route ${request.method} ${request.url.split('?')[0]}.`,
      ),
      request,
      reply,
    ),
  );
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-trace-id', request.id);
    done(null, payload);
  });
  installRequestLog(app, deps.requestLog ?? fullRequestLog);
  registerAuth(app, deps.verifyToken);
  await registerOverloadGuard(app, deps);
  await app.register(healthRoutes, { checks: deps.health ?? {} });
  await registerAreaRoutes(app, deps);

  return app;
}
