import type { IncomingEnvelope } from '../../core/index.js';
import { JsonlWriter } from './jsonl-writer.js';

/** What happened to the events a sink took. */
export interface SinkReport {
  readonly kind: 'jsonl' | 'http' | 'in-process' | 'none';
  /** Where the events went: a file path or a URL. */
  readonly target: string | null;
  readonly written: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly batches: number;
  /** Batches sent again after a 429/503 or a network error. */
  readonly retries: number;
  /** The first few rejection codes, with counts (never event bodies). */
  readonly rejection_codes: Readonly<Record<string, number>>;
}

/**
 * Where generated events go. `add` returns a promise only when the caller must
 * wait (a full chunk or batch on its way: backpressure), so the common case
 * costs no microtask.
 */
export interface EventSink {
  add(event: IncomingEnvelope): Promise<void> | undefined;
  close(): Promise<SinkReport>;
  /** Stops without publishing (after a failure); resolves once nothing is in flight. */
  abort(): Promise<void>;
}

/** Counts only: `--no-events`. */
export function nullSink(): EventSink {
  return {
    add: () => undefined,
    close: async () => ({ ...emptyReport('none', null) }),
    abort: async () => {},
  };
}

export function emptyReport(kind: SinkReport['kind'], target: string | null): SinkReport {
  return {
    kind,
    target,
    written: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    batches: 0,
    retries: 0,
    rejection_codes: {},
  };
}

/** Events as JSON lines in a file (`--out FILE`), for load tools. */
export function jsonlSink(path: string): EventSink {
  const writer = new JsonlWriter(path, 0o600);

  return {
    add: (event) => writer.write(event),
    close: async () => {
      await writer.close();

      return { ...emptyReport('jsonl', path), written: writer.lines };
    },
    abort: async () => writer.abort(),
  };
}

/** Per-event outcome of one batch, as the ingest API answers it. */
export interface BatchOutcome {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly retries: number;
  readonly codes: readonly string[];
}

/**
 * Sends one batch of one tenant and resolves after it was acknowledged
 * (retrying inside); stops retrying once `signal` is aborted.
 */
export type BatchSender = (
  tenantId: string,
  events: IncomingEnvelope[],
  signal: AbortSignal,
) => Promise<BatchOutcome>;

export interface BatchingOptions {
  readonly kind: 'http' | 'in-process';
  readonly target: string | null;
  readonly batchSize: number;
  /** Batches in flight at once. */
  readonly concurrency: number;
}

/**
 * Groups events into batches of one tenant (at most `batchSize`) and keeps up
 * to `concurrency` batches in flight; `add` waits while all slots are busy, so
 * the generator never runs ahead of the ingest path.
 */
export function batchingSink(send: BatchSender, options: BatchingOptions): EventSink {
  const inFlight = new Set<Promise<void>>();
  const cancel = new AbortController();
  let report = emptyReport(options.kind, options.target);
  let batch: IncomingEnvelope[] = [];
  let batchTenant = '';
  let failure: unknown;

  const record = (outcome: BatchOutcome, size: number): void => {
    const codes = { ...report.rejection_codes };
    for (const code of outcome.codes) codes[code] = (codes[code] ?? 0) + 1;
    report = {
      ...report,
      written: report.written + size,
      accepted: report.accepted + outcome.accepted,
      duplicates: report.duplicates + outcome.duplicates,
      rejected: report.rejected + outcome.rejected,
      batches: report.batches + 1,
      retries: report.retries + outcome.retries,
      rejection_codes: codes,
    };
  };
  const dispatch = async (): Promise<void> => {
    if (batch.length === 0) return;
    const events = batch;
    const tenant = batchTenant;
    batch = [];
    const running: Promise<void> = send(tenant, events, cancel.signal)
      .then((outcome) => record(outcome, events.length))
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    if (failure) throw failure;
  };

  return {
    add(event) {
      const tenant = event.tenant_id ?? '';
      if (tenant === batchTenant && batch.length < options.batchSize) {
        batch.push(event);
        return undefined;
      }

      return dispatch().then(() => {
        batchTenant = tenant;
        batch.push(event);
      });
    },
    async close() {
      await dispatch();
      await Promise.all(inFlight);
      if (failure) throw failure;

      return report;
    },
    async abort() {
      batch = [];
      cancel.abort();
      await Promise.allSettled(inFlight);
    },
  };
}
