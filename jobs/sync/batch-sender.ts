import { randomUUID } from 'node:crypto';
import { BrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import { type Logger, newTraceId } from '../../core/index.js';
import type { AdaptiveTimeout } from './adaptive-timeout.js';
import type { ContractRecord, PreparedBatch } from './batch-plan.js';
import { completionFor, exhaustedCompletion, fatalCompletion } from './batch-outcome.js';
import type { AttemptRow, BatchRow, SyncLedger } from './ledger.js';
import type { HttpOutcome, RegistryHttp } from './registry-http.js';
import { type BackoffOptions, classify, fullJitterDelay, type Verdict } from './retry-policy.js';
import { sleep, type TokenBucket } from './token-bucket.js';
import type { TokenProvider } from './token-provider.js';

/** Everything a school's batches share while they are sent. */
export interface SchoolContext {
  readonly cutoffId: string;
  readonly cct: string;
  readonly runId: string;
  readonly ledger: SyncLedger;
  readonly http: RegistryHttp;
  /** Shared by every school of the run: the registry's latency decides when a request is hung. */
  readonly timeouts: AdaptiveTimeout;
  readonly tokens: TokenProvider;
  readonly bucket: TokenBucket;
  readonly breaker: CircuitBreakerPolicy;
  readonly records: ReadonlyMap<string, ContractRecord>;
  readonly maxFailures: number;
  readonly backoff: BackoffOptions;
  readonly breakerWaitMs: number;
  readonly logger: Logger;
}

/** Raised inside the breaker so it counts transient failures; carries the outcome out. */
class TransientOutcomeError extends Error {
  constructor(readonly outcome: HttpOutcome) {
    super('transient registry outcome');
  }
}

function excerpt(outcome: HttpOutcome): string | null {
  if (outcome.kind === 'network_error') return outcome.error;
  if (outcome.status === 201) return null;

  return JSON.stringify(outcome.body).slice(0, 300);
}

async function callThroughBreaker(context: SchoolContext, send: () => Promise<HttpOutcome>) {
  try {
    return await context.breaker.execute(async () => {
      const outcome = await send();
      if (classify(outcome, 201).kind === 'transient') throw new TransientOutcomeError(outcome);

      return outcome;
    });
  } catch (err) {
    if (err instanceof TransientOutcomeError) return err.outcome;
    throw err;
  }
}

function finishedAttempt(attempt: AttemptRow, outcome: HttpOutcome, verdict: Verdict): AttemptRow {
  const isResponse = outcome.kind === 'response';

  return {
    ...attempt,
    finished_at: new Date().toISOString(),
    latency_ms: Math.round(outcome.latencyMs * 10) / 10,
    http_status: isResponse ? outcome.status : null,
    outcome: verdict.kind === 'done' ? 'succeeded' : verdict.kind,
    error_code:
      verdict.kind === 'done' ? null : 'reason' in verdict ? verdict.reason : verdict.kind,
    retry_after_s: isResponse ? outcome.retryAfterSeconds : null,
    is_replayed: isResponse && outcome.isReplayed,
    response_excerpt: excerpt(outcome),
  };
}

/** Sends one request of a batch and records it; returns the verdict and outcome. */
async function attemptOnce(context: SchoolContext, batch: BatchRow, prepared: PreparedBatch) {
  // The access token first: waiting for it must not let bucket tokens pile up unsent.
  const token = await context.tokens.get();
  await context.bucket.take();
  batch.attempts += 1;
  const attempt: AttemptRow = {
    attempt_id: randomUUID(),
    cutoff_id: context.cutoffId,
    batch_id: batch.batch_id,
    attempt_no: batch.attempts,
    run_id: context.runId,
    trace_id: newTraceId(),
    idempotency_key: batch.idempotency_key,
    request_hash: batch.request_hash,
    started_at: new Date().toISOString(),
    finished_at: null,
    latency_ms: null,
    http_status: null,
    outcome: 'in_flight',
    error_code: null,
    retry_after_s: null,
    is_replayed: false,
    response_excerpt: null,
  };
  await context.ledger.startAttempt(attempt);
  const headers = {
    authorization: `Bearer ${token}`,
    'idempotency-key': batch.idempotency_key,
    traceparent: `00-${attempt.trace_id}-${attempt.attempt_id.replaceAll('-', '').slice(0, 16)}-01`,
  };
  const watch = context.timeouts.watch();
  const outcome = await callThroughBreaker(context, () =>
    context.http.send(
      { method: 'POST', path: '/v1/submissions', headers, signal: watch.signal },
      prepared.body,
    ),
  ).finally(watch.release);
  const verdict = classify(outcome, 201);
  if (verdict.kind === 'done') context.timeouts.record(outcome.latencyMs);
  if (verdict.kind === 'transient') batch.failures += 1;
  const finished = finishedAttempt(attempt, outcome, verdict);
  batch.last_status = finished.http_status;
  batch.last_error = finished.error_code;
  await context.ledger.finishAttempt(finished, batch);

  return { verdict, outcome, token };
}

/**
 * Sends one batch until it ends: done (results recorded), fatal, or out of
 * attempts (dead-lettered with the reason). Waits honour `Retry-After`;
 * transient failures back off with full jitter; an open circuit pauses.
 */
export async function sendBatch(context: SchoolContext, batch: BatchRow, prepared: PreparedBatch) {
  let unauthorizedInRow = 0;
  for (;;) {
    if (batch.failures >= context.maxFailures) {
      await context.ledger.completeBatch(
        context.cutoffId,
        batch.batch_id,
        exhaustedCompletion(context, batch),
      );
      return;
    }
    let step: Awaited<ReturnType<typeof attemptOnce>>;
    try {
      step = await attemptOnce(context, batch, prepared);
    } catch (err) {
      if (!(err instanceof BrokenCircuitError)) throw err;
      await sleep(context.breakerWaitMs * (0.5 + Math.random()));
      continue;
    }
    const { verdict, outcome, token } = step;
    if (verdict.kind === 'done' && outcome.kind === 'response') {
      await context.ledger.completeBatch(
        context.cutoffId,
        batch.batch_id,
        completionFor(context, batch, outcome),
      );
      return;
    }
    if (verdict.kind === 'fatal') {
      await context.ledger.completeBatch(
        context.cutoffId,
        batch.batch_id,
        fatalCompletion(context, batch, verdict),
      );
      return;
    }
    if (verdict.kind === 'token_expired') {
      unauthorizedInRow += 1;
      context.tokens.invalidate(token);
      if (unauthorizedInRow >= 5) {
        const fatal = { kind: 'fatal', reason: 'unauthorized', code: 'unauthorized' } as const;
        await context.ledger.completeBatch(
          context.cutoffId,
          batch.batch_id,
          fatalCompletion(context, batch, fatal),
        );
        return;
      }
      continue;
    }
    unauthorizedInRow = 0;
    if (verdict.kind === 'throttled') {
      context.bucket.pauseFor(verdict.waitMs);
      context.logger.warn(
        { cct: context.cct, wait_ms: verdict.waitMs, reason: verdict.reason },
        'registry asked to wait',
      );
      continue;
    }
    await sleep(fullJitterDelay(batch.failures, context.backoff));
  }
}
