import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { AuditLog } from '../audit/index.js';

/** What `/readyz` checks: the snapshot store answers and the audit log can write. */
export interface ReadinessDeps {
  readonly redis: Redis;
  readonly audit: AuditLog;
}

async function redisReady(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}

/**
 * `GET /readyz`: 200 when Redis answers a PING and the audit log is writable,
 * else 503 with `Retry-After` and which check failed, so a load balancer stops
 * sending reads this instance would refuse anyway.
 */
export function installReadiness(app: FastifyInstance, deps: ReadinessDeps): void {
  app.get(
    '/readyz',
    {
      config: { isPublic: true },
      schema: {
        summary: 'Readiness: snapshot store and audit log',
        tags: ['operations'],
        response: {
          200: readinessSchema,
          503: readinessSchema,
        },
      },
    },
    async (_request, reply) => {
      const checks = {
        redis: (await redisReady(deps.redis)) ? 'ok' : 'unavailable',
        audit: deps.audit.isAvailable ? 'ok' : 'unavailable',
      } as const;
      const ready = checks.redis === 'ok' && checks.audit === 'ok';
      if (!ready) reply.code(503).header('retry-after', '1');

      return { status: ready ? 'ready' : 'not_ready', checks };
    },
  );
}

const readinessSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    checks: {
      type: 'object',
      properties: { redis: { type: 'string' }, audit: { type: 'string' } },
    },
  },
} as const;
