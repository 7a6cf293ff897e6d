import type { FastifyPluginAsync } from 'fastify';

/** What `/healthz` reports; each area adds a check returning its own figures. */
export type HealthCheck = () => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface HealthOptions {
  checks: Readonly<Record<string, HealthCheck>>;
}

/** `GET /healthz`: public, answers 200 with each check's figures, 503 when a check throws. */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, options) => {
  app.get('/healthz', { config: { isPublic: true } }, async (request, reply) => {
    const report: Record<string, unknown> = {};
    let isHealthy = true;
    for (const [name, check] of Object.entries(options.checks)) {
      try {
        report[name] = await check();
      } catch (err) {
        isHealthy = false;
        report[name] = { status: 'failing' };
        request.log.warn({ err, check: name }, 'health check failed');
      }
    }

    return reply
      .code(isHealthy ? 200 : 503)
      .send({ status: isHealthy ? 'ok' : 'failing', ...report });
  });
};
