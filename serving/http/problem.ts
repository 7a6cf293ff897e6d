import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isLucaError, type LucaError } from '../../core/index.js';
import { httpErrors } from './errors.js';

/** An RFC 9457 problem document as this API sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  trace_id: string;
  [extension: string]: unknown;
}

const fastifyCodes: Readonly<Record<string, Parameters<typeof httpErrors.create>[0]>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'HTTP_ERR_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'HTTP_ERR_MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'HTTP_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_VALIDATION: 'HTTP_ERR_INVALID_REQUEST',
};

/** Maps what a handler threw to a LucaError, or undefined when it is unknown (a 500). */
function asLucaError(err: unknown): LucaError | undefined {
  if (isLucaError(err)) return err;
  const fastifyError = err as Partial<FastifyError>;
  const mapped = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  if (mapped) return httpErrors.create(mapped, fastifyError.message ?? mapped, { cause: err });
  if (err instanceof SyntaxError && fastifyError.statusCode === 400) {
    return httpErrors.create('HTTP_ERR_MALFORMED_JSON', 'The body is not valid JSON.', {
      cause: err,
    });
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return httpErrors.create('HTTP_ERR_INVALID_REQUEST', fastifyError.message ?? 'Bad request.', {
      cause: err,
    });
  }

  return undefined;
}

function problemOf(err: LucaError, request: FastifyRequest): Problem {
  return {
    ...err.details,
    type: `https://luca.example/problems/${err.code.toLowerCase().replaceAll('_', '-')}`,
    title: err.title,
    status: err.status,
    code: err.code,
    detail: err.message,
    instance: request.url.split('?')[0],
    trace_id: request.id,
  };
}

/**
 * The one error handler: a known error becomes `application/problem+json` with
 * its stable code; anything else is logged and answered as a plain 500 that
 * carries only the trace id to quote.
 */
export function sendProblem(
  err: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const known = asLucaError(err);
  if (!known) {
    request.log.error({ err }, 'request failed');
    const internal = httpErrors.create('HTTP_ERR_INTERNAL', 'Quote the trace id when reporting.');
    return reply.code(500).type('application/problem+json').send(problemOf(internal, request));
  }

  // A refusal's code goes on the sampled `request completed` line (request-log.ts).
  request.problemCode = known.code;
  if (known.status >= 500) request.log.error({ err: known, code: known.code }, 'request failed');
  const retryAfter = known.details?.retry_after_seconds;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));

  return reply.code(known.status).type('application/problem+json').send(problemOf(known, request));
}
