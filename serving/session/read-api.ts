import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { type DataPaths, loadPseudonymizer } from '../../core/index.js';
import { AuditLog } from '../audit/index.js';
import {
  installApiDocs,
  installMetrics,
  installReadiness,
  installTraceparent,
  ServingMetrics,
} from '../observability/index.js';
import { defaultKeyPrefix } from './keys.js';
import type { FreshnessPolicy } from './merge.js';
import { SessionStore } from './read-script.js';
import { createServingRedis } from './redis-client.js';
import { type SessionApiOptions, sessionRoutes } from './routes.js';

/** Everything the read API runs on, built by `openReadApiDeps`. */
export interface ReadApiDeps extends SessionApiOptions {
  readonly redis: Redis;
  readonly metrics: ServingMetrics;
}

/**
 * Adds the read API to an app: OpenAPI docs (first, so they see every route
 * registered after), metrics hooks and `/metrics`, `traceparent` echo,
 * `/readyz`, and the session routes. Called once from `buildApp`.
 */
export async function registerReadApi(app: FastifyInstance, deps: ReadApiDeps): Promise<void> {
  await installApiDocs(app);
  installMetrics(app, deps.metrics);
  installTraceparent(app);
  installReadiness(app, { redis: deps.redis, audit: deps.audit });
  await app.register(sessionRoutes, deps);
}

/** The read audit log's directory in a data directory. */
export function auditDirOf(paths: DataPaths): string {
  return join(paths.state, 'audit');
}

/** Where the read API finds its state. */
export interface ReadApiConfig {
  readonly paths: DataPaths;
  /** Default `LUCA_REDIS_URL` or `redis://127.0.0.1:6379`. */
  readonly redisUrl?: string;
  readonly redisDb?: number;
  /** Default `luca:`. */
  readonly keyPrefix?: string;
  /** The audit log's directory, default `<data-dir>/state/audit` (ADR 0091). */
  readonly auditDir?: string;
  readonly freshness?: Partial<FreshnessPolicy>;
  readonly tenantRequestsPerSecond?: number;
}

/**
 * Opens Redis, the audit log and the pseudonym key for the read API.
 *
 * @example
 * const deps = await openReadApiDeps({ paths: ensureDataPaths() });
 * const app = await buildApp({ logger, verifyToken, readApi: deps });
 */
export async function openReadApiDeps(
  config: ReadApiConfig,
): Promise<ReadApiDeps & { close(): Promise<void> }> {
  const metrics = new ServingMetrics();
  const redis = createServingRedis(
    config.redisUrl ?? process.env.LUCA_REDIS_URL ?? 'redis://127.0.0.1:6379',
    config.redisDb === undefined ? {} : { db: config.redisDb },
  );
  const audit = await AuditLog.open(config.auditDir ?? auditDirOf(config.paths), {
    timer: metrics.auditTimer,
    // A log of the earlier SQLite format is carried over into the first segment.
    legacyDatabase: join(config.paths.state, 'audit.db'),
  });
  const store = new SessionStore(redis, {
    prefix: config.keyPrefix ?? defaultKeyPrefix,
    timer: metrics.redisTimer,
  });

  return {
    redis,
    metrics,
    audit,
    store,
    pseudonymizer: loadPseudonymizer(config.paths.secrets),
    ...(config.freshness ? { freshness: config.freshness } : {}),
    ...(config.tenantRequestsPerSecond
      ? { tenantRequestsPerSecond: config.tenantRequestsPerSecond }
      : {}),
    close: async () => {
      await audit.close();
      redis.disconnect();
    },
  };
}
