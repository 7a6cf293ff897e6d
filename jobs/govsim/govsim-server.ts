import Fastify, { type FastifyInstance } from 'fastify';
import { registerGradeRoutes } from './grade-routes.js';
import { GovsimState } from './govsim-state.js';
import type { RegisteredGrade } from './registry-store.js';
import { type GovsimOptionsInput, resolveGovsimOptions } from './sim-options.js';
import { guardMaintenance, sendError } from './sim-guards.js';
import type { GovsimStats } from './sim-stats.js';
import { registerSubmissionRoutes } from './submission-routes.js';

/** Client credentials from a form body or HTTP Basic authorization. */
function credentialsOf(headers: Record<string, unknown>, body: Record<string, string>) {
  const header = typeof headers.authorization === 'string' ? headers.authorization : '';
  if (header.startsWith('Basic ')) {
    const [id, secret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');

    return { clientId: id ?? '', secret: secret ?? '' };
  }

  return { clientId: body.client_id ?? '', secret: body.client_secret ?? '' };
}

function registerTokenRoute(app: FastifyInstance, state: GovsimState): void {
  app.post('/oauth/token', async (request, reply) => {
    if (guardMaintenance(state, reply)) return reply;
    const body = (request.body ?? {}) as Record<string, string>;
    if (body.grant_type !== 'client_credentials') {
      return sendError(reply, 400, 'invalid_request', 'grant_type must be client_credentials');
    }
    const { clientId, secret } = credentialsOf(request.headers, body);
    if (!state.isKnownClient(clientId, secret)) {
      return sendError(reply, 401, 'invalid_client', 'unknown client or wrong secret');
    }
    const ttl = state.options.tokenTtlSeconds;
    state.stats.tokens_issued += 1;

    return {
      access_token: state.store.issueToken(clientId, ttl, state.clock()),
      token_type: 'Bearer',
      expires_in: ttl,
    };
  });
}

/** Builds the simulator's Fastify app (not listening). */
export function buildGovsimApp(state: GovsimState): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 4 * 1024 * 1024 });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/__sim')) state.stats.requests += 1;
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith('/__sim')) return;
    const key = String(reply.statusCode);
    state.stats.by_status[key] = (state.stats.by_status[key] ?? 0) + 1;
  });
  registerTokenRoute(app, state);
  registerSubmissionRoutes(app, state);
  registerGradeRoutes(app, state);
  app.get('/__sim/stats', async () => state.stats);

  return app;
}

/** A running simulator, with handles tests use to inspect and steer it. */
export interface Govsim {
  readonly url: string;
  readonly port: number;
  readonly state: GovsimState;
  stats(): GovsimStats;
  registeredGrades(): RegisteredGrade[];
  /** Expires every issued token now. */
  expireAllTokens(): void;
  /** Opens a maintenance window now for `durationMs`. */
  startMaintenance(durationMs: number): void;
  close(): Promise<void>;
}

export interface StartGovsimOptions extends GovsimOptionsInput {
  readonly port?: number;
  readonly host?: string;
}

/**
 * Starts the government registry simulator.
 *
 * @example
 * const sim = await startGovsim({ port: 0, credentials: { '09DPR0001A': 's3cret' } });
 * // ... run the sync against sim.url ...
 * expect(sim.stats().conflicts).toBe(0);
 * await sim.close();
 */
export async function startGovsim(options: StartGovsimOptions = {}): Promise<Govsim> {
  const state = new GovsimState(resolveGovsimOptions(options));
  const app = buildGovsimApp(state);
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    state,
    stats: () => structuredClone(state.stats),
    registeredGrades: () => state.store.allGrades(),
    expireAllTokens: () => state.store.expireAllTokens(state.clock()),
    startMaintenance: (durationMs) => state.faults.startMaintenance(state.clock(), durationMs),
    close: () => app.close(),
  };
}
