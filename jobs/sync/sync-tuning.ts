import type { BackoffOptions } from './retry-policy.js';

/** Knobs of a sync run; defaults follow the contract (5 requests/s, burst 10). */
export interface SyncTuning {
  /** Requests per second per school credential (the contract's limit). */
  readonly ratePerSecond: number;
  /** Client-side burst; below the registry's so clumped arrivals stay within its bucket. */
  readonly burst: number;
  readonly batchSize: number;
  /** Batches of one school in flight at once. */
  readonly inFlightPerSchool: number;
  /** Schools (cutoffs) sent at once. */
  readonly schoolConcurrency: number;
  /** Transient failures a batch may have before it is dead-lettered. */
  readonly maxFailures: number;
  readonly backoff: BackoffOptions;
  /** No answer within this time counts as a hang (the timeout before any answer is seen). */
  readonly timeoutMs: number;
  /** Shortest timeout the observed latency may bring it down to. */
  readonly timeoutFloorMs: number;
  /** Timeout = this x the p99 of recent successful answers, within [floor, timeoutMs]. */
  readonly timeoutP99Multiplier: number;
  /** Consecutive transient failures that open a school's circuit. */
  readonly breakerThreshold: number;
  readonly breakerHalfOpenMs: number;
}

export const defaultSyncTuning: SyncTuning = {
  ratePerSecond: 5,
  burst: 9,
  batchSize: 100,
  inFlightPerSchool: 16,
  schoolConcurrency: 32,
  maxFailures: 8,
  backoff: { baseMs: 500, capMs: 30_000 },
  timeoutMs: 15_000,
  timeoutFloorMs: 1_000,
  timeoutP99Multiplier: 4,
  breakerThreshold: 10,
  breakerHalfOpenMs: 5_000,
};

export function resolveTuning(tuning: Partial<SyncTuning> = {}): SyncTuning {
  return {
    ...defaultSyncTuning,
    ...tuning,
    backoff: { ...defaultSyncTuning.backoff, ...tuning.backoff },
  };
}
