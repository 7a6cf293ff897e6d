import type { FastifyInstance } from 'fastify';
import { createLogger, createTokenVerifier, type Logger, TokenKeys } from '../../core/index.js';
import { buildApp } from '../app.js';
import { type RequestLogPolicy, sampledRequestLog } from '../http/request-log.js';
import { openReadApiDeps, type ReadApiConfig } from './read-api.js';
import { cachingVerifier } from './token-cache.js';

/** A running read API and how to stop it. */
export interface RunningReadApi {
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the read API on a port (0 picks a free one): the app factory with the
 * session routes, load shedding at 200 ms of event-loop delay.
 *
 * @example
 * const api = await startReadApi({ paths: ensureDataPaths(), port: 0 });
 * console.log(api.url); // http://127.0.0.1:40123
 * await api.close();
 */
export async function startReadApi(
  config: ReadApiConfig & {
    port?: number;
    host?: string;
    logger?: Logger;
    /** Default: 1% of successful reads, 10% of refusals, every error and slow read. */
    requestLog?: RequestLogPolicy;
  },
): Promise<RunningReadApi> {
  const deps = await openReadApiDeps(config);
  const keys = await TokenKeys.load(config.paths.secrets);
  const app = await buildApp({
    logger: config.logger ?? createLogger({ base: { component: 'read-api' } }),
    verifyToken: cachingVerifier(createTokenVerifier(keys)),
    paths: config.paths,
    readApi: deps,
    maxEventLoopDelayMs: 200,
    requestLog: config.requestLog ?? sampledRequestLog,
  });
  const url = await app.listen({ port: config.port ?? 0, host: config.host ?? '127.0.0.1' });

  return {
    app,
    url,
    close: async () => {
      await app.close();
      await deps.close();
    },
  };
}
