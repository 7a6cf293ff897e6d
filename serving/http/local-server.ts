import type { FastifyInstance } from 'fastify';
import {
  createTokenVerifier,
  type DataPaths,
  ErasureRegisterCache,
  type Logger,
  loadPseudonymizer,
  TokenKeys,
} from '../../core/index.js';
import {
  createIngestService,
  type LanderLoop,
  SqliteLandingBuffer,
  startLanderThread,
} from '../../pipelines/index.js';
import { type AppDeps, buildApp } from '../app.js';

export interface LocalServerOptions {
  paths: DataPaths;
  logger: Logger;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Buffer rows beyond which `POST /v1/events` answers 429. */
  highWaterMark?: number;
  /** Lander: drain at this many rows, or when the oldest row is `landMaxAgeMs` old. */
  landMinRows?: number;
  landMaxAgeMs?: number;
  maxRowsPerDrain?: number;
  /** False runs the API alone (another process lands). */
  isLanding?: boolean;
  /** Extra deps for other areas' routes. */
  deps?: Partial<AppDeps>;
}

export interface LocalServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, lets the lander finish its drain, closes the buffer. */
  close(): Promise<void>;
}

/**
 * `luca serve` as a function: the landing buffer, the ingest service, the API
 * and the lander loop, all on one data directory.
 *
 * @example
 * const server = await startLocalServer({ paths: ensureDataPaths(), logger, port: 0 });
 * await fetch(`${server.url}/v1/events`, { method: 'POST', headers, body });
 * await server.close();
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const { paths, logger } = options;
  const buffer = new SqliteLandingBuffer({ dir: paths.buffer, isThreaded: true });
  const keys = await TokenKeys.load(paths.secrets);
  const ingest = createIngestService({
    buffer,
    pseudonymizer: loadPseudonymizer(paths.secrets),
    logger,
    highWaterMark: options.highWaterMark,
    erasures: new ErasureRegisterCache(paths.lake),
  });
  // The lander runs on its own thread (and buffer connection), off the API's thread.
  const loop: LanderLoop | undefined =
    options.isLanding === false
      ? undefined
      : await startLanderThread({
          bufferDir: paths.buffer,
          lakeRoot: paths.lake,
          logLevel: logger.level,
          minRows: options.landMinRows,
          maxAgeMs: options.landMaxAgeMs,
          maxRowsPerDrain: options.maxRowsPerDrain,
          logger,
        });
  const app = await buildApp({
    logger,
    verifyToken: createTokenVerifier(keys),
    paths,
    ingest,
    health: { buffer: () => ({ ...buffer.stats() }) },
    ...options.deps,
  });
  await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  return {
    app,
    port,
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    async close() {
      await app.close();
      await loop?.stop();
      buffer.close();
    },
  };
}
