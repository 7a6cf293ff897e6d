import { randomFillSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const idPool = Buffer.alloc(16 * 512);
let idOffset = idPool.length;

/**
 * `bytes` random bytes as hex from a pooled buffer: one `randomFillSync` fills
 * ids for hundreds of requests (a `randomBytes(8)` call per request was 3% of
 * the server's CPU).
 */
function pooledHex(bytes: number): string {
  if (idOffset + bytes > idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  idOffset += bytes;

  return idPool.toString('hex', idOffset - bytes, idOffset);
}

/** A random 64-bit span id as 16 hex digits. */
export function newSpanId(): string {
  return pooledHex(8);
}

/** A random 128-bit W3C trace id as 32 hex digits (never all zeros). */
export function newTraceIdHex(): string {
  const id = pooledHex(16);

  return id === '0'.repeat(32) ? newTraceIdHex() : id;
}

const flagsPattern = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-([0-9a-f]{2})$/;

/**
 * Propagates W3C trace context (https://www.w3.org/TR/trace-context/): the app
 * already takes the request id from an incoming `traceparent` (or makes a new
 * trace id), so every log line carries `trace_id`; this hook answers with
 * `traceparent: 00-<trace id>-<our span id>-<flags>`, the caller's sampling
 * flags kept.
 */
export function installTraceparent(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    const incoming = request.headers.traceparent;
    const flags =
      incoming === undefined
        ? undefined
        : flagsPattern.exec(typeof incoming === 'string' ? incoming.trim() : '')?.[1];
    reply.header('traceparent', `00-${request.id}-${newSpanId()}-${flags ?? '01'}`);
    done();
  });
}

/** The trace id of a request: the app's request id is the W3C trace id. */
export function traceIdOf(request: { id: string }): string {
  return request.id;
}
