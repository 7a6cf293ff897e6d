import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { coreErrors, type Principal } from '../../core/index.js';
import { ingestErrors } from './errors.js';
import { type IngestService, maxBatchBytes } from './ingest-service.js';

/** What the route needs from the app: the service and how to read the caller. */
export interface IngestRouteOptions {
  ingest: IngestService;
}

function principalOf(request: FastifyRequest): Principal {
  const principal = (request as FastifyRequest & { principal?: Principal | null }).principal;
  if (!principal)
    throw coreErrors.create('AUTH_ERR_MISSING_TOKEN', 'Send Authorization: Bearer <token>.');

  return principal;
}

function eventsOf(body: unknown): unknown[] {
  const events = (body as { events?: unknown } | null)?.events;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(events)) {
    throw ingestErrors.create(
      'INGEST_ERR_INVALID_BATCH',
      'Send { "events": [ ...1-500 events ] }.',
    );
  }

  return events;
}

/**
 * `POST /v1/events`: a batch of up to 500 events (1 MiB). Answers `202` with
 * per-event results once the admitted events are fsync'd in the landing buffer
 * (duplicates count as done), `400 INGEST_ERR_ALL_REJECTED` when none was
 * admitted, and `429` with `Retry-After` before reading the body when the
 * buffer is beyond its high-water mark.
 */
export const ingestRoutes: FastifyPluginAsync<IngestRouteOptions> = async (app, options) => {
  const { ingest } = options;

  async function refuseUnderPressure(_request: FastifyRequest, reply: FastifyReply) {
    const busy = ingest.pressure();
    if (!busy) return;
    reply.header('retry-after', String(busy.retryAfterSeconds));
    throw ingestErrors.create(
      'INGEST_ERR_BACKPRESSURE',
      'The landing buffer is full; retry later.',
      {
        details: { retry_after_seconds: busy.retryAfterSeconds },
      },
    );
  }

  app.post(
    '/v1/events',
    { bodyLimit: maxBatchBytes, onRequest: refuseUnderPressure },
    async (request, reply) => {
      const principal = principalOf(request);
      const result = await ingest.ingestBatch(principal, eventsOf(request.body), {
        traceId: request.id,
      });
      if (result.accepted + result.duplicates === 0) {
        throw ingestErrors.create(
          'INGEST_ERR_ALL_REJECTED',
          'No event was admitted; see results.',
          {
            details: { rejected: result.rejected, results: result.results },
          },
        );
      }

      return reply.code(202).send({ trace_id: request.id, ...result });
    },
  );
};
