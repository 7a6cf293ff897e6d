import type { BatchCompletion, BatchRow, DeadLetterRow, RecordResultRow } from './ledger.js';
import type { SchoolContext } from './batch-sender.js';
import type { HttpOutcome } from './registry-http.js';

interface SubmissionBody {
  submission_id: string;
  results: {
    record_id: string;
    status: 'accepted' | 'corrected' | 'rejected';
    code?: string;
    message?: string;
    registered_grade?: number;
  }[];
}

function deadLetter(
  context: SchoolContext,
  batch: BatchRow,
  recordId: string,
  kind: DeadLetterRow['reason_kind'],
  code: string,
  message: string,
): DeadLetterRow {
  return {
    cutoff_id: context.cutoffId,
    record_id: recordId,
    batch_id: batch.batch_id,
    cct: context.cct,
    reason_kind: kind,
    reason_code: code,
    message,
    attempts: batch.attempts,
    created_at: new Date().toISOString(),
  };
}

/** Results of a processed submission; rejected records also go to the dead-letter store. */
export function completionFor(
  context: SchoolContext,
  batch: BatchRow,
  outcome: Extract<HttpOutcome, { kind: 'response' }>,
): BatchCompletion {
  const body = outcome.body as SubmissionBody;
  const decidedAt = new Date().toISOString();
  const results: RecordResultRow[] = body.results.map((result) => ({
    cutoff_id: context.cutoffId,
    record_id: result.record_id,
    batch_id: batch.batch_id,
    cct: context.cct,
    status: result.status,
    code: result.code ?? null,
    message: result.message ?? null,
    sent_grade: context.records.get(result.record_id)?.grade ?? Number.NaN,
    registered_grade: result.registered_grade ?? null,
    submission_id: body.submission_id,
    decided_at: decidedAt,
  }));
  const deadLetters = results
    .filter((result) => result.status === 'rejected')
    .map((result) =>
      deadLetter(
        context,
        batch,
        result.record_id,
        'rejected',
        result.code ?? 'UNKNOWN',
        result.message ?? '',
      ),
    );

  return {
    state: 'succeeded',
    submission_id: body.submission_id,
    results,
    dead_letters: deadLetters,
    last_status: outcome.status,
    last_error: null,
  };
}

/** Every record of the batch dead-lettered: out of attempts. */
export function exhaustedCompletion(context: SchoolContext, batch: BatchRow): BatchCompletion {
  const reason = batch.last_error ?? 'transient';

  return {
    state: 'dead_lettered',
    submission_id: null,
    results: [],
    dead_letters: batch.record_ids.map((id) =>
      deadLetter(
        context,
        batch,
        id,
        'attempts_exhausted',
        reason,
        `gave up after ${batch.failures} transient failures`,
      ),
    ),
    last_status: batch.last_status,
    last_error: reason,
  };
}

/** Every record of the batch dead-lettered: an answer that retrying cannot change. */
export function fatalCompletion(
  context: SchoolContext,
  batch: BatchRow,
  verdict: { reason: DeadLetterRow['reason_kind']; code: string },
): BatchCompletion {
  return {
    state: 'dead_lettered',
    submission_id: null,
    results: [],
    dead_letters: batch.record_ids.map((id) =>
      deadLetter(
        context,
        batch,
        id,
        verdict.reason,
        verdict.code,
        'the registry refused the batch',
      ),
    ),
    last_status: batch.last_status,
    last_error: verdict.reason,
  };
}
