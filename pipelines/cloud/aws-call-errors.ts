import type { CallError } from './delivery-retry.js';

/**
 * Whole-call errors that no retry can fix: a wrong stream or bus, a bad
 * request, missing permissions or a broken KMS key. Anything else (throttling,
 * 5xx, timeouts, connection resets) is treated as transient.
 */
const permanentErrors = new Set([
  'InvalidArgumentException',
  'ResourceNotFoundException',
  'InvalidKMSResourceException',
  'InvalidSourceException',
  'AccessDeniedException',
  'ValidationException',
  'UnrecognizedClientException',
]);

/** Classifies an error thrown by an AWS SDK v3 batch call. */
export function classifyAwsError(err: unknown): CallError {
  const name = err instanceof Error ? err.name : 'UnknownError';
  const message = err instanceof Error ? err.message : String(err);
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const clientFault = status !== undefined && status >= 400 && status < 500 && status !== 429;
  const throttled = name.includes('Throttl') || name === 'ServiceUnavailableException';
  const retryable = throttled || (!permanentErrors.has(name) && !clientFault);

  return { code: name, message, retryable };
}
