import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * OpenAPI 3 generated from the route schemas, served at `/docs` (UI) and
 * `/docs/json`. Register before the routes: the generator collects routes as
 * they are added.
 */
export async function installApiDocs(app: FastifyInstance): Promise<void> {
  // The documentation is public: mark the UI plugin's routes so auth skips them.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...route.config, isPublic: true };
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'luca read API',
        description: 'Student sessions (profile and grades) with tenant isolation and audit.',
        version: '1.0.0',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: false } });
}
