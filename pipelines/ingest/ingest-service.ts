import type {
  ErasedStudentsLookup,
  Logger,
  Principal,
  Pseudonymizer,
  Role,
} from '../../core/index.js';
import type { LandingBuffer } from '../buffer/index.js';
import { type Admission, admitEvent } from './admission.js';
import { ingestErrors } from './errors.js';

/** Largest batch `POST /v1/events` and `ingestBatch` take (as Firehose PutRecordBatch). */
export const maxBatchEvents = 500;
/** Largest request body, in bytes. */
export const maxBatchBytes = 1024 * 1024;
/** Default high-water mark of the buffer, in rows waiting to land. */
export const defaultHighWaterMark = 1_000_000;
/** Drain rate assumed when advising `Retry-After` (rows per second, measured lander: see docs). */
const assumedDrainRowsPerSecond = 50_000;

/** Roles that may post events at all; each is narrowed further per event. */
export const ingestRoles: readonly Role[] = ['ingest', 'student', 'service'];

export interface EventResult {
  readonly index: number;
  readonly event_id?: string;
  readonly status: 'accepted' | 'duplicate' | 'rejected';
  readonly code?: string;
  readonly message?: string;
}

export interface IngestBatchResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly results: readonly EventResult[];
}

export interface IngestServiceOptions {
  buffer: LandingBuffer;
  pseudonymizer: Pseudonymizer;
  logger: Logger;
  /** Rows waiting to land beyond which new batches get `429` (default 1,000,000). */
  highWaterMark?: number;
  /** Server clock (tests pin it). */
  clock?: () => Date;
  /**
   * The erasure registers (`new ErasureRegisterCache(paths.lake)`): grade and
   * behaviour events of an erased student are refused with
   * `INGEST_ERR_STUDENT_ERASED`. Without it nothing is refused for that reason.
   */
  erasures?: ErasedStudentsLookup;
}

export interface IngestService {
  /**
   * Validates, authorises and pseudonymises each event on its own, appends the
   * admitted ones durably and resolves after the fsync that covers them.
   * Throws `INGEST_ERR_*` (batch-level) or `BUFFER_ERR_UNAVAILABLE`.
   */
  ingestBatch(
    principal: Principal,
    events: unknown[],
    context: { traceId: string },
  ): Promise<IngestBatchResult>;
  /** Non-null when the buffer is beyond its high-water mark: how long callers should wait. */
  pressure(): { retryAfterSeconds: number } | null;
}

function checkBatch(principal: Principal, events: unknown): asserts events is unknown[] {
  if (!ingestRoles.includes(principal.role)) {
    const message = `role ${principal.role} may not post events; use an ingest token`;
    throw ingestErrors.create('INGEST_ERR_ROLE_NOT_ALLOWED', message);
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw ingestErrors.create(
      'INGEST_ERR_INVALID_BATCH',
      'Send { "events": [ ...1-500 events ] }.',
    );
  }
  if (events.length > maxBatchEvents) {
    const message = `A batch holds at most ${maxBatchEvents} events; split it.`;
    throw ingestErrors.create('INGEST_ERR_BATCH_TOO_LARGE', message, {
      details: { max_events: maxBatchEvents },
    });
  }
}

function resultsOf(admissions: readonly Admission[], statuses: readonly string[]): EventResult[] {
  let next = 0;

  return admissions.map((admission, index): EventResult => {
    if (!admission.ok) {
      const { eventId, code, message } = admission;
      return { index, event_id: eventId, status: 'rejected', code, message };
    }
    const status = statuses[next++] === 'duplicate' ? 'duplicate' : 'accepted';

    return { index, event_id: admission.row.event_id, status };
  });
}

function count(results: readonly EventResult[], status: EventResult['status']): number {
  return results.filter((result) => result.status === status).length;
}

function countErased(results: readonly EventResult[]): number {
  return results.filter((result) => result.code === 'INGEST_ERR_STUDENT_ERASED').length;
}

/**
 * Builds the ingest service the HTTP route, the seed and the jobs share.
 *
 * @example
 * const ingest = createIngestService({ buffer, pseudonymizer, logger });
 * const result = await ingest.ingestBatch(principal, events, { traceId });
 */
export function createIngestService(options: IngestServiceOptions): IngestService {
  const { buffer, pseudonymizer, logger } = options;
  const highWaterMark = options.highWaterMark ?? defaultHighWaterMark;
  const clock = options.clock ?? (() => new Date());

  function pressure(): { retryAfterSeconds: number } | null {
    const depth = buffer.depth();
    if (depth < highWaterMark) return null;
    const excess = depth - highWaterMark / 2;

    return {
      retryAfterSeconds: Math.min(30, Math.max(1, Math.ceil(excess / assumedDrainRowsPerSecond))),
    };
  }

  async function ingestBatch(
    principal: Principal,
    events: unknown[],
    context: { traceId: string },
  ) {
    const started = performance.now();
    checkBatch(principal, events);
    const busy = pressure();
    if (busy) {
      throw ingestErrors.create(
        'INGEST_ERR_BACKPRESSURE',
        'The landing buffer is full; retry later.',
        {
          details: { retry_after_seconds: busy.retryAfterSeconds },
        },
      );
    }

    const now = clock();
    const admissionContext = {
      principal,
      pseudonymizer,
      traceId: context.traceId,
      now,
      receivedAt: now.toISOString(),
      // One look at the tenant's register per batch (a stat), a Set lookup per
      // event. The erasure writes the register before it deletes the student's
      // buffer rows, so a batch that looked just before the register was
      // written commits either before that delete (and is deleted by it) or
      // after it (and the lander, which reads the register after exporting a
      // range, drops it): ADR 0092.
      erasedStudents: options.erasures?.erasedIn(principal.tenantId),
    };
    const admissions = events.map((raw) => admitEvent(raw, admissionContext));
    const rows = admissions.flatMap((admission) => (admission.ok ? [admission.row] : []));
    const statuses = rows.length > 0 ? await buffer.append(rows) : [];
    const results = resultsOf(admissions, statuses);
    const summary = {
      accepted: count(results, 'accepted'),
      duplicates: count(results, 'duplicate'),
      rejected: count(results, 'rejected'),
    };
    logger.info(
      {
        tenant_id: principal.tenantId,
        trace_id: context.traceId,
        events_in: events.length,
        ...summary,
        erased_refused: countErased(results),
        duration_ms: Math.round(performance.now() - started),
      },
      'batch ingested',
    );

    return { ...summary, results };
  }

  return { ingestBatch, pressure };
}
