/** The session read API: routes, the one-round-trip store, and the Redis key scheme. */
export { sessionErrors } from './errors.js';
export { defaultKeyPrefix, type TenantKeys, tenantKeys } from './keys.js';
export { defaultFreshnessPolicy, type FreshnessPolicy, type SessionBody } from './merge.js';
export { type ReadMode, type RedisTimer, SessionStore } from './read-script.js';
export { createServingRedis, type ServingRedisOptions } from './redis-client.js';
export { type SessionApiOptions, sessionRoutes } from './routes.js';
export {
  openReadApiDeps,
  type ReadApiConfig,
  type ReadApiDeps,
  registerReadApi,
} from './read-api.js';
export { type RunningReadApi, startReadApi } from './server.js';
export { cachingVerifier } from './token-cache.js';
