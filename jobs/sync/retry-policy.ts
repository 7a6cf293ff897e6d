import type { HttpOutcome } from './registry-http.js';

export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
}

/**
 * Exponential backoff with full jitter: a uniform draw in
 * [0, min(cap, base * 2^(failures - 1))). Spreads retries of many clients so
 * they do not arrive together after an outage.
 */
export function fullJitterDelay(
  failures: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, failures - 1));

  return random() * ceiling;
}

/** What the client does after one answer (or non-answer) from the registry. */
export type Verdict =
  | { kind: 'done' }
  | { kind: 'token_expired' }
  | { kind: 'throttled'; waitMs: number; reason: 'rate_limited' | 'maintenance' }
  | { kind: 'transient'; reason: string }
  | {
      kind: 'fatal';
      reason: 'idempotency_conflict' | 'invalid_request' | 'unauthorized';
      code: string;
    };

function errorCode(body: unknown): string {
  const error = (body as { error?: unknown } | null)?.error;

  return typeof error === 'string' ? error : 'unknown';
}

/**
 * Classifies an outcome by the contract: 2xx done; 401 token_expired refresh;
 * 429 and 503 with Retry-After wait as told; 5xx, hangs and dropped
 * connections retry with backoff (a replay with the same key is safe); 400,
 * 403, 409 and 413 cannot succeed by retrying.
 */
export function classify(outcome: HttpOutcome, successStatus: number): Verdict {
  if (outcome.kind === 'network_error') {
    return { kind: 'transient', reason: outcome.isTimeout ? 'timeout' : 'connection_dropped' };
  }
  const { status } = outcome;
  if (status === successStatus) return { kind: 'done' };
  const code = errorCode(outcome.body);
  if (status === 401 && code === 'token_expired') return { kind: 'token_expired' };
  if (status === 401) return { kind: 'token_expired' };
  if (status === 429) {
    return {
      kind: 'throttled',
      waitMs: (outcome.retryAfterSeconds ?? 1) * 1000,
      reason: 'rate_limited',
    };
  }
  if (status === 503 && outcome.retryAfterSeconds !== null) {
    return { kind: 'throttled', waitMs: outcome.retryAfterSeconds * 1000, reason: 'maintenance' };
  }
  if (status >= 500) return { kind: 'transient', reason: `http_${status}` };
  if (status === 409) return { kind: 'fatal', reason: 'idempotency_conflict', code };
  if (status === 403) return { kind: 'fatal', reason: 'unauthorized', code };

  return { kind: 'fatal', reason: 'invalid_request', code: `${status}:${code}` };
}
