import type { FastifyInstance, FastifyRequest } from 'fastify';
import { coreErrors, type Principal, type Role, type TokenVerifier } from '../../core/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller; null only on public routes. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Set on routes anyone may call without a token (`/healthz`). */
    isPublic?: boolean;
  }
}

/**
 * Verifies the bearer token of every request to a non-public route before the
 * body is read, and decorates the request with the principal. The check is
 * added to each route as it is registered (its first `onRequest` hook), so a
 * request pays no lookup of its route's options, and unknown routes, which have
 * no route, answer 404, not 401. `isPublic` is read when the request comes, so
 * a later `onRoute` hook may still mark a route public (`/docs`).
 */
export function registerAuth(app: FastifyInstance, verifyToken: TokenVerifier): void {
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    const verify = async (request: FastifyRequest) => {
      if (route.config?.isPublic) return;
      request.principal = await verifyToken(request.headers.authorization);
      request.log.debug(
        { tenant_id: request.principal.tenantId, role: request.principal.role },
        'caller verified',
      );
    };
    const own = route.onRequest;
    route.onRequest = own ? [verify, ...(Array.isArray(own) ? own : [own])] : verify;
  });
}

/** The verified caller of a request, or `AUTH_ERR_MISSING_TOKEN`. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) {
    throw coreErrors.create('AUTH_ERR_MISSING_TOKEN', 'Send Authorization: Bearer <token>.');
  }

  return request.principal;
}

/**
 * A route `preHandler` admitting only the given roles.
 *
 * @example
 * app.get('/v1/cutoffs/:id', { preHandler: requireRole('school_admin') }, handler);
 */
export function requireRole(...allowed: Role[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const principal = requirePrincipal(request);
    if (!allowed.includes(principal.role)) {
      throw coreErrors.create('AUTH_ERR_FORBIDDEN', `This route is for: ${allowed.join(', ')}.`);
    }
  };
}
