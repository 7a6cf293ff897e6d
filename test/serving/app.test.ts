import { describe, expect, it } from 'vitest';
import {
  coreErrors,
  createLogger,
  createTokenVerifier,
  mintToken,
  TokenKeys,
} from '../../core/index.js';
import { buildApp, requireRole } from '../../serving/index.js';
import { removeDataDir, tempDataPaths } from '../pipelines/ingest-fixtures.js';

async function appWithRoutes() {
  const paths = tempDataPaths('luca-app-');
  const keys = await TokenKeys.load(paths.secrets);
  const app = await buildApp({
    logger: createLogger({ level: 'silent' }),
    verifyToken: createTokenVerifier(keys),
    health: { probe: () => ({ depth: 3 }) },
  });
  app.get('/boom', async () => {
    throw new Error('database password is hunter2');
  });
  app.get('/known', async () => {
    throw coreErrors.create('TENANCY_ERR_CROSS_TENANT', 'That student is in another school.');
  });
  app.get('/admins', { preHandler: requireRole('school_admin') }, async (request) => ({
    tenant: request.principal?.tenantId,
  }));
  const token = (role: 'teacher' | 'school_admin') =>
    mintToken(keys, { tenantId: 't-app', role, subject: `${role}-1` });

  return { app, token, cleanup: () => removeDataDir(paths) };
}

describe('buildApp', () => {
  it('answers /healthz without a token, with each check', async () => {
    const { app, cleanup } = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/healthz' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', probe: { depth: 3 } });
    cleanup();
  });

  it('maps a LucaError to problem+json with its status and code', async () => {
    const { app, token, cleanup } = await appWithRoutes();

    const response = await app.inject({
      method: 'GET',
      url: '/known',
      headers: { authorization: `Bearer ${await token('teacher')}` },
    });

    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      status: 403,
      code: 'TENANCY_ERR_CROSS_TENANT',
      title: 'Cross-tenant access',
      detail: 'That student is in another school.',
      instance: '/known',
      trace_id: response.headers['x-trace-id'],
    });
    cleanup();
  });

  it('answers an unknown error with a plain 500 carrying only the trace id', async () => {
    const { app, token, cleanup } = await appWithRoutes();

    const response = await app.inject({
      method: 'GET',
      url: '/boom',
      headers: { authorization: `Bearer ${await token('teacher')}` },
    });

    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({
      code: 'HTTP_ERR_INTERNAL',
      trace_id: expect.any(String),
    });
    expect(response.body).not.toContain('hunter2');
    cleanup();
  });

  it('answers an unknown route with a 404 problem, not a 401', async () => {
    const { app, cleanup } = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/nowhere' });

    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('HTTP_ERR_NOT_FOUND');
    cleanup();
  });

  it('decorates the request with the principal and enforces roles', async () => {
    const { app, token, cleanup } = await appWithRoutes();

    const allowed = await app.inject({
      method: 'GET',
      url: '/admins',
      headers: { authorization: `Bearer ${await token('school_admin')}` },
    });
    const denied = await app.inject({
      method: 'GET',
      url: '/admins',
      headers: { authorization: `Bearer ${await token('teacher')}` },
    });

    expect(allowed.json()).toEqual({ tenant: 't-app' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('AUTH_ERR_FORBIDDEN');
    cleanup();
  });

  it('ignores an invalid traceparent and generates a trace id', async () => {
    const { app, cleanup } = await appWithRoutes();

    const response = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` },
    });

    expect(response.headers['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(response.headers['x-trace-id']).not.toBe('0'.repeat(32));
    cleanup();
  });
});
