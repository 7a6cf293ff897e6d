import type { IncomingMessage } from 'node:http';
import { newTraceIdHex } from '../observability/trace.js';

const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The trace id of a W3C `traceparent` header (https://www.w3.org/TR/trace-context/#traceparent-header),
 * or undefined when absent or invalid (version ff, all-zero ids).
 */
export function traceIdFromTraceparent(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = traceparentPattern.exec(value?.trim().toLowerCase() ?? '');
  if (!match) return undefined;
  const [, version, traceId, parentId] = match;
  if (version === 'ff' || /^0+$/.test(traceId ?? '') || /^0+$/.test(parentId ?? ''))
    return undefined;

  return traceId;
}

/** Fastify `genReqId`: the request id is the trace id, so every log line carries it. */
export function requestTraceId(request: IncomingMessage): string {
  const header = request.headers.traceparent;

  // A new id from the pooled random buffer (ADR 0072) when no valid traceparent came in.
  return (header === undefined ? undefined : traceIdFromTraceparent(header)) ?? newTraceIdHex();
}
