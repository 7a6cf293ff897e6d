import { cloudErrors } from './cloud-errors.js';
import type { SinkFailure, SinkResult } from './lake-sink.js';

/** Exponential backoff with full jitter and a cap, bounded in attempts. */
export interface RetryPolicy {
  /** Rounds of calls, the first included; records still failing after it are returned. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
};

/**
 * Delay before round `attempt + 1`: uniform in [0, min(cap, base * 2^(attempt-1))]
 * ("full jitter"), so many writers retrying at once spread out instead of
 * hitting the throttled service again in lockstep.
 */
export function fullJitterDelay(attempt: number, policy: RetryPolicy, random: () => number) {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));

  return Math.floor(random() * ceiling);
}

/** The service's verdict on one entry of a batch call. */
export type EntryResult =
  | { ok: true }
  | { ok: false; code: string; message: string; retryable: boolean };

/** A whole call that threw, classified. */
export interface CallError {
  code: string;
  message: string;
  retryable: boolean;
}

/** Service limits a batch API is chunked against. */
export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
  maxRecordBytes: number;
}

export interface DeliveryOptions<T> {
  limits: BatchLimits;
  sizeOf: (record: T) => number;
  /** One batch call; resolves with one result per entry, in order. */
  sendChunk: (chunk: T[]) => Promise<EntryResult[]>;
  classifyError: (err: unknown) => CallError;
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

/** Splits records greedily into calls within the count and byte limits, keeping order. */
export function chunkRecords<T>(
  records: readonly T[],
  limits: BatchLimits,
  sizeOf: (r: T) => number,
) {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = sizeOf(record);
    if (
      current.length === limits.maxRecords ||
      (current.length > 0 && bytes + size > limits.maxBytes)
    ) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);

  return chunks;
}

interface Pending<T> {
  record: T;
  code: string;
  message: string;
}

async function sendRound<T>(records: T[], options: DeliveryOptions<T>, failed: Pending<T>[]) {
  const retry: Pending<T>[] = [];
  let delivered = 0;
  let calls = 0;
  for (const chunk of chunkRecords(records, options.limits, options.sizeOf)) {
    calls += 1;
    let results: EntryResult[];
    try {
      results = await options.sendChunk(chunk);
    } catch (err) {
      const error = options.classifyError(err);
      for (const record of chunk) (error.retryable ? retry : failed).push({ record, ...error });
      continue;
    }
    chunk.forEach((record, index) => {
      const result = results[index] ?? {
        ok: false,
        code: 'MissingResult',
        message: 'no entry result',
        retryable: true,
      };
      if (result.ok) delivered += 1;
      else
        (result.retryable ? retry : failed).push({
          record,
          code: result.code,
          message: result.message,
        });
    });
  }

  return { retry, delivered, calls };
}

/**
 * Sends `records` through a batch API, retrying only the entries that failed
 * with a retryable error, until all are delivered or `policy.maxAttempts`
 * rounds have run. Records over the per-record limit fail at once (no call can
 * ever take them). Nothing is dropped: every record not delivered comes back
 * in `failed` with its last error.
 */
export async function deliverWithRetry<T>(
  records: readonly T[],
  options: DeliveryOptions<T>,
): Promise<SinkResult<T>> {
  const failures: SinkFailure<T>[] = [];
  let pending: T[] = [];
  for (const record of records) {
    if (options.sizeOf(record) <= options.limits.maxRecordBytes) pending.push(record);
    else
      failures.push({
        record,
        code: 'RecordTooLarge',
        message: `over ${options.limits.maxRecordBytes} bytes`,
        attempts: 0,
      });
  }

  const result: SinkResult<T> = { delivered: 0, failed: failures, attempts: 0, calls: 0 };
  while (pending.length > 0) {
    result.attempts += 1;
    const final: Pending<T>[] = [];
    const round = await sendRound(pending, options, final);
    result.delivered += round.delivered;
    result.calls += round.calls;
    for (const item of final) failures.push({ ...item, attempts: result.attempts });
    if (round.retry.length > 0 && result.attempts >= options.policy.maxAttempts) {
      for (const item of round.retry) failures.push({ ...item, attempts: result.attempts });
      break;
    }
    pending = round.retry.map((item) => item.record);
    if (pending.length > 0)
      await options.sleep(fullJitterDelay(result.attempts, options.policy, options.random));
  }

  return result;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Rejects a policy or limits no call could honour: limits above the service's
 * quotas (the service would refuse every call) or fewer than one attempt.
 */
export function checkDeliveryConfig(
  sink: string,
  policy: RetryPolicy,
  limits: BatchLimits,
  quota: BatchLimits,
): void {
  const problems: string[] = [];
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    problems.push('maxAttempts must be a whole number of at least 1');
  }
  if (policy.baseDelayMs < 0 || policy.maxDelayMs < policy.baseDelayMs) {
    problems.push('delays must satisfy 0 <= baseDelayMs <= maxDelayMs');
  }
  for (const name of ['maxRecords', 'maxBytes', 'maxRecordBytes'] as const) {
    if (!(limits[name] > 0 && limits[name] <= quota[name])) {
      problems.push(`${name} must be between 1 and ${quota[name]}`);
    }
  }
  if (problems.length > 0) {
    throw cloudErrors.create('CLOUD_ERR_SINK_CONFIG', `${sink}: ${problems.join('; ')}`);
  }
}
