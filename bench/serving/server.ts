/**
 * The bench's server process: `BENCH_MODE=session` runs the real read API
 * (`startReadApi`), `BENCH_MODE=bare` a bare Fastify route doing one Redis GET
 * with the same client settings. Prints `{"url": ...}` once listening.
 */
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

const url = env.BENCH_MODE === 'bare' ? await startBare() : await startSession();
process.stdout.write(`${JSON.stringify({ url })}\n`);
// Exit cleanly on SIGTERM so `--cpu-prof` can write its profile.
process.once('SIGTERM', () => process.exit(0));
