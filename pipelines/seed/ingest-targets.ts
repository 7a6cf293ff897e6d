import {
  type IncomingEnvelope,
  isLucaError,
  mintToken,
  newTraceId,
  type Principal,
  TokenKeys,
} from '../../core/index.js';
import { seedErrors } from './errors.js';
import type { BatchOutcome, BatchSender } from './event-sinks.js';
import { Rng } from './random.js';

/** One event's result, as `POST /v1/events` and `ingestBatch` list them. */
export interface IngestEventResult {
  readonly status: 'accepted' | 'duplicate' | 'rejected';
  readonly code?: string;
  readonly message?: string;
}

/**
 * The in-process ingest path: the same function the HTTP route calls
 * (`createIngestService(...).ingestBatch` has this shape).
 */
export type IngestFunction = (
  principal: Principal,
  events: unknown[],
  context: { traceId: string },
) => Promise<{ results: readonly IngestEventResult[] }>;

export interface RetryPolicy {
  /** Longest total wait on one batch before giving up loudly (default 10 minutes). */
  readonly maxWaitMs: number;
  /** Waits `ms`, or less when `signal` aborts. Replaceable in tests. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export const defaultRetryPolicy: RetryPolicy = { maxWaitMs: 10 * 60_000, sleep: abortableSleep };

/** What one attempt at a batch came to: results, or a wait before trying the same batch again. */
type Attempt = { results: readonly IngestEventResult[] } | { retryAfterMs: number; reason: string };

function outcomeOf(results: readonly IngestEventResult[], retries: number): BatchOutcome {
  const count = (status: IngestEventResult['status']) =>
    results.filter((r) => r.status === status).length;
  const codes = results.filter((r) => r.status === 'rejected').map((r) => r.code ?? 'UNKNOWN');

  return {
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
    retries,
    codes,
  };
}

/** Tries a batch until it is acknowledged, waiting as told; never drops it silently. */
async function untilAcknowledged(
  attempt: () => Promise<Attempt>,
  policy: RetryPolicy,
  jitter: Rng,
  signal: AbortSignal,
): Promise<BatchOutcome> {
  let waited = 0;
  for (let retries = 0; ; retries += 1) {
    if (signal.aborted)
      throw seedErrors.create(
        'SEED_ERR_INGEST_UNAVAILABLE',
        'The run stopped before this batch was acknowledged.',
      );
    const result = await attempt();
    if ('results' in result) return outcomeOf(result.results, retries);
    if (waited + result.retryAfterMs > policy.maxWaitMs) {
      const message = `Ingest kept answering ${result.reason} for ${Math.round(waited / 1000)} s; the batch was not acknowledged. Check the server and run the seed again (same seed: duplicates are ignored).`;
      throw seedErrors.create('SEED_ERR_INGEST_UNAVAILABLE', message, { details: { retries } });
    }
    const pause = result.retryAfterMs + jitter.int(0, 250);
    waited += pause;
    await policy.sleep(pause, signal);
  }
}

function backoffMs(failures: number): number {
  return Math.min(10_000, 250 * 2 ** failures);
}

async function postOnce(
  url: string,
  token: string,
  events: IncomingEnvelope[],
  failures: { n: number },
  signal: AbortSignal,
): Promise<Attempt> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      signal,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        traceparent: `00-${newTraceId()}-${'0'.repeat(15)}1-01`,
      },
      body: JSON.stringify({ events }),
    });
  } catch (cause) {
    failures.n += 1;
    return {
      retryAfterMs: backoffMs(failures.n),
      reason: `a network error (${(cause as Error).message})`,
    };
  }
  const body = (await response.json().catch(() => ({}))) as {
    results?: IngestEventResult[];
    code?: string;
  };
  if (response.status === 429 || response.status === 503) {
    const seconds = Number(response.headers.get('retry-after'));
    return {
      retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000,
      reason: String(response.status),
    };
  }
  if (response.status >= 500) {
    failures.n += 1;
    return { retryAfterMs: backoffMs(failures.n), reason: String(response.status) };
  }
  if (response.ok)
    return { results: body.results ?? events.map(() => ({ status: 'accepted' as const })) };
  if (body.code === 'INGEST_ERR_ALL_REJECTED') {
    return {
      results: body.results ?? events.map(() => ({ status: 'rejected' as const, code: body.code })),
    };
  }
  const message = `POST ${url} answered ${response.status} ${body.code ?? ''}; check --url and that the data directory's keys are the server's.`;
  throw seedErrors.create('SEED_ERR_INGEST_REFUSED', message, {
    details: { status: response.status, code: body.code },
  });
}

/**
 * Sends batches to `POST <base>/v1/events` with an `ingest` token per tenant,
 * minted with the data directory's signing keys, honouring `Retry-After`.
 */
export function httpSender(
  baseUrl: string,
  secretsDir: string,
  policy = defaultRetryPolicy,
): BatchSender {
  const url = new URL('/v1/events', baseUrl).toString();
  const tokens = new Map<string, Promise<string>>();
  const keys = TokenKeys.load(secretsDir);
  const jitter = new Rng('retry-jitter');
  const tokenFor = (tenantId: string): Promise<string> => {
    let token = tokens.get(tenantId);
    if (!token) {
      token = keys.then((loaded) =>
        mintToken(loaded, { tenantId, role: 'ingest', subject: 'luca-seed' }),
      );
      tokens.set(tenantId, token);
    }

    return token;
  };

  return async (tenantId, events, signal) => {
    const token = await tokenFor(tenantId);
    const failures = { n: 0 };

    const attempt = () => postOnce(url, token, events, failures, signal);

    return untilAcknowledged(attempt, policy, jitter, signal);
  };
}

/** Sends batches to an in-process ingest function, as principal `ingest` of each tenant. */
export function inProcessSender(ingest: IngestFunction, policy = defaultRetryPolicy): BatchSender {
  const jitter = new Rng('retry-jitter');

  return async (tenantId, events, signal) => {
    const principal: Principal = {
      tenantId,
      role: 'ingest',
      subject: 'luca-seed',
      tokenId: undefined,
    };
    const attempt = async (): Promise<Attempt> => {
      try {
        return await ingest(principal, events, { traceId: newTraceId() });
      } catch (error) {
        if (!isLucaError(error) || (error.status !== 429 && error.status !== 503)) {
          throw seedErrors.create(
            'SEED_ERR_INGEST_REFUSED',
            `In-process ingest refused a batch: ${(error as Error).message}`,
            { cause: error },
          );
        }
        const seconds = Number(error.details?.retry_after_seconds ?? 1);
        return { retryAfterMs: Math.max(100, seconds * 1000), reason: error.code };
      }
    };

    return untilAcknowledged(attempt, policy, jitter, signal);
  };
}
