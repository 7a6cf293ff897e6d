import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GovsimState } from './govsim-state.js';

/** The contract's `Error` body with a status, and `Retry-After` when given. */
export function sendError(
  reply: FastifyReply,
  status: number,
  error: string,
  message: string,
  retryAfterSeconds?: number,
): FastifyReply {
  if (retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterSeconds))));
  }

  return reply.code(status).type('application/json').send({ error, message });
}

/** 503 with `Retry-After` while a maintenance window is open; true when it answered. */
export function guardMaintenance(state: GovsimState, reply: FastifyReply): boolean {
  const left = state.faults.maintenanceLeftMs(state.clock());
  if (left <= 0) return false;
  state.count('maintenance');
  sendError(reply, 503, 'unavailable', 'the registry is in maintenance', left / 1000);

  return true;
}

/** Checks the bearer token; returns the caller's CCT, or answers 401 and returns undefined. */
export function authenticate(
  state: GovsimState,
  request: FastifyRequest,
  reply: FastifyReply,
): string | undefined {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  const checked = state.store.checkToken(token, state.clock());
  if (checked === 'expired') {
    state.stats.token_expired += 1;
    sendError(reply, 401, 'token_expired', 'the access token expired; fetch a new one');

    return undefined;
  }
  if (!checked) {
    sendError(reply, 401, 'unauthorized', 'a valid bearer token is required');

    return undefined;
  }

  return checked;
}

/**
 * Spends one token of the caller's bucket, then applies seeded faults. Every
 * request spends the limit, including those that then fail. Returns false when
 * it answered (or hung) the request itself.
 */
export function throttleAndFault(
  state: GovsimState,
  clientId: string,
  request: FastifyRequest,
  reply: FastifyReply,
): boolean {
  const taken = state.bucketFor(clientId).tryTake();
  if (!taken.taken) {
    state.stats.rate_limited += 1;
    sendError(reply, 429, 'rate_limited', 'too many requests', taken.retryAfterSeconds);

    return false;
  }
  const fault = state.faults.before(clientId);
  if (fault.kind === 'error5xx') {
    state.count('error5xx');
    sendError(reply, fault.status, fault.status === 503 ? 'unavailable' : 'internal', 'try again');

    return false;
  }
  if (fault.kind === 'burst429') {
    state.count('burst429');
    state.stats.rate_limited += 1;
    sendError(reply, 429, 'rate_limited', 'too many requests', 1);

    return false;
  }
  if (fault.kind === 'hang') {
    state.count('hang');
    reply.hijack();
    const timer = setTimeout(() => request.raw.socket?.destroy(), state.options.faults.hangMs);
    request.raw.socket?.once('close', () => clearTimeout(timer));

    return false;
  }

  return true;
}

/** After the work is done: maybe drop the connection without answering. True when dropped. */
export function maybeDrop(
  state: GovsimState,
  request: FastifyRequest,
  reply: FastifyReply,
): boolean {
  if (state.faults.after().kind !== 'drop') return false;
  state.count('drop');
  reply.hijack();
  request.raw.socket?.destroy();

  return true;
}
