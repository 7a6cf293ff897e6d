import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';
import { createLogger, type Logger } from '../../core/index.js';
import { AdaptiveTimeout } from './adaptive-timeout.js';
import { type FrozenCutoff, readCutoff } from '../cutoff/index.js';
import { type PreparedBatch, planSchoolBatches } from './batch-plan.js';
import { type SchoolContext, sendBatch } from './batch-sender.js';
import { credentialFor, type RegistryCredentials } from './credentials.js';
import type { BatchRow, SyncLedger } from './ledger.js';
import { RegistryHttp } from './registry-http.js';
import { SqliteSyncLedger } from './sqlite-ledger.js';
import { resolveTuning, type SyncTuning } from './sync-tuning.js';
import { TokenBucket } from './token-bucket.js';
import { TokenProvider } from './token-provider.js';

export interface RunSyncOptions {
  readonly lakeRoot: string;
  readonly cutoffIds: readonly string[];
  readonly registryUrl: string;
  readonly credentials: RegistryCredentials;
  readonly ledger: SyncLedger;
  readonly tuning?: Partial<SyncTuning>;
  readonly logger?: Logger;
  /** Called after every finished batch with records decided so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SyncRunSummary {
  readonly run_id: string;
  readonly cutoff_ids: readonly string[];
  readonly batches: number;
  readonly batches_sent_this_run: number;
  readonly records_total: number;
  readonly records_sent_this_run: number;
  readonly abandoned_attempts: number;
  readonly duration_ms: number;
  readonly records_per_second: number;
}

/** The local ledger at `<state>/sync.db`. */
export function openSqliteLedger(stateDir: string): SqliteSyncLedger {
  return new SqliteSyncLedger(join(stateDir, 'sync.db'));
}

/** Runs `work` with the local ledger open, and closes it whatever happens. */
export async function withSqliteLedger<T>(
  stateDir: string,
  work: (ledger: SqliteSyncLedger) => Promise<T> | T,
): Promise<T> {
  const ledger = openSqliteLedger(stateDir);
  try {
    return await work(ledger);
  } finally {
    await ledger.close();
  }
}

/** Registers the cutoff in the ledger and plans (idempotently) its batches. */
export async function prepareCutoff(
  options: RunSyncOptions,
  cutoff: FrozenCutoff,
  tuning: SyncTuning,
) {
  const { manifest } = cutoff;
  await options.ledger.registerCutoff({
    cutoff_id: manifest.cutoff_id,
    tenant_id: manifest.tenant_id,
    cct: manifest.cct,
    period_id: manifest.period_id,
    version: manifest.version,
    created_at: manifest.created_at,
    deadline_at: manifest.deadline_at,
    record_count: manifest.totals.records,
    unsendable_count: cutoff.unsendable.length,
  });
  const prepared = [...cutoff.records].flatMap(([cct, records]) =>
    planSchoolBatches(manifest.cutoff_id, cct, manifest.period_id, records, tuning.batchSize),
  );
  await options.ledger.planBatches(prepared.map((p) => p.plan));

  return prepared;
}

/**
 * The HTTP client of a run and its adaptive timeout. Sockets cover every
 * request that may be in flight, so none waits in undici's queue while its
 * timeout runs.
 */
export function registryClient(registryUrl: string, tuning: SyncTuning) {
  const http = new RegistryHttp({
    baseUrl: registryUrl,
    timeoutMs: tuning.timeoutMs,
    connections: tuning.schoolConcurrency * tuning.inFlightPerSchool,
  });
  const timeouts = new AdaptiveTimeout({
    floorMs: Math.min(tuning.timeoutFloorMs, tuning.timeoutMs),
    ceilingMs: tuning.timeoutMs,
    multiplier: tuning.timeoutP99Multiplier,
    window: 256,
    minSamples: 20,
  });

  return { http, timeouts };
}

/** What one school's batches share: token, bucket, breaker, records. */
export function schoolContext(
  options: RunSyncOptions,
  cutoff: FrozenCutoff,
  cct: string,
  http: RegistryHttp,
  timeouts: AdaptiveTimeout,
  runId: string,
  tuning: SyncTuning,
  logger: Logger,
): SchoolContext {
  const records = new Map((cutoff.records.get(cct) ?? []).map((r) => [r.record_id, r]));

  return {
    cutoffId: cutoff.manifest.cutoff_id,
    cct,
    runId,
    ledger: options.ledger,
    http,
    timeouts,
    tokens: new TokenProvider(
      http,
      credentialFor(options.credentials, cct),
      tuning.backoff,
      logger,
    ),
    bucket: new TokenBucket({ ratePerSecond: tuning.ratePerSecond, burst: tuning.burst }),
    breaker: circuitBreaker(handleAll, {
      halfOpenAfter: tuning.breakerHalfOpenMs,
      breaker: new ConsecutiveBreaker(tuning.breakerThreshold),
    }),
    records,
    maxFailures: tuning.maxFailures,
    backoff: tuning.backoff,
    breakerWaitMs: tuning.breakerHalfOpenMs,
    logger,
  };
}

/** Runs `work` over `items` with at most `limit` at once. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Sends one or more cutoffs to the registry: every pending batch, schools in
 * parallel, each school within its own token bucket. Safe to run again after
 * any crash: planned batches keep their idempotency keys, so a batch the
 * registry already processed is answered from its idempotency store.
 *
 * @example
 * const ledger = openSqliteLedger(paths.state);
 * const summary = await runSync({ lakeRoot: paths.lake, cutoffIds: [id],
 *   registryUrl: sim.url, credentials: loadRegistryCredentials(paths.secrets), ledger });
 */
export async function runSync(options: RunSyncOptions): Promise<SyncRunSummary> {
  const started = performance.now();
  const tuning = resolveTuning(options.tuning);
  const logger = options.logger ?? createLogger({ base: { job: 'sync' } });
  const runId = randomUUID();
  const { http, timeouts } = registryClient(options.registryUrl, tuning);
  const work: { context: SchoolContext; batch: BatchRow; prepared: PreparedBatch }[][] = [];
  let total = 0;
  let done = 0;
  let abandoned = 0;
  try {
    for (const cutoffId of options.cutoffIds) {
      const cutoff = readCutoff(options.lakeRoot, cutoffId);
      const prepared = new Map(
        (await prepareCutoff(options, cutoff, tuning)).map((p) => [p.plan.batch_id, p]),
      );
      abandoned += await options.ledger.abandonOpenAttempts(cutoffId, runId);
      const batches = await options.ledger.batches(cutoffId);
      total += batches.reduce((sum, b) => sum + b.record_ids.length, 0);
      done += batches
        .filter((b) => b.state !== 'pending')
        .reduce((sum, b) => sum + b.record_ids.length, 0);
      for (const cct of cutoff.records.keys()) {
        const context = schoolContext(options, cutoff, cct, http, timeouts, runId, tuning, logger);
        const pending = batches.filter((b) => b.cct === cct && b.state === 'pending');
        work.push(
          pending.map((batch) => ({
            context,
            batch,
            prepared: prepared.get(batch.batch_id) as PreparedBatch,
          })),
        );
      }
    }
    logger.info(
      {
        run_id: runId,
        cutoffs: options.cutoffIds.length,
        rows_in: total,
        already_done: done,
        abandoned_attempts: abandoned,
      },
      'sync started',
    );
    const doneBefore = done;
    const sentBatches = work.reduce((sum, school) => sum + school.length, 0);
    await inParallel(work, tuning.schoolConcurrency, (school) =>
      inParallel(school, tuning.inFlightPerSchool, async ({ context, batch, prepared }) => {
        await sendBatch(context, batch, prepared);
        done += batch.record_ids.length;
        options.onProgress?.(done, total);
      }),
    );
    const durationMs = performance.now() - started;
    const summary: SyncRunSummary = {
      run_id: runId,
      cutoff_ids: options.cutoffIds,
      batches: (await Promise.all(options.cutoffIds.map((id) => options.ledger.batches(id)))).flat()
        .length,
      batches_sent_this_run: sentBatches,
      records_total: total,
      records_sent_this_run: done - doneBefore,
      abandoned_attempts: abandoned,
      duration_ms: Math.round(durationMs),
      records_per_second: Math.round(((done - doneBefore) / durationMs) * 1000 * 10) / 10,
    };
    logger.info(
      {
        ...summary,
        rows_out: summary.records_sent_this_run,
        latency_p99_ms: timeouts.p99(),
        timeout_ms: timeouts.current(),
      },
      'sync finished',
    );

    return summary;
  } finally {
    await http.close();
  }
}
