/**
 * The sync ledger: every batch, every attempt, every record's result and every
 * dead letter of a cutoff's submission to the registry. SQLite locally
 * (`<data-dir>/state/sync.db`), DynamoDB in the cloud; both implement
 * `SyncLedger` and pass the same test suite.
 */

/** A cutoff as the ledger knows it (no personal data). */
export interface CutoffRegistration {
  readonly cutoff_id: string;
  readonly tenant_id: string;
  readonly cct: string;
  readonly period_id: string;
  readonly version: number;
  readonly created_at: string;
  readonly deadline_at: string;
  readonly record_count: number;
  readonly unsendable_count: number;
}

export const batchStates = ['pending', 'succeeded', 'dead_lettered'] as const;
export type BatchState = (typeof batchStates)[number];

/** A batch as planned: the same on every run of the same cutoff. */
export interface PlannedBatch {
  readonly cutoff_id: string;
  readonly batch_id: string;
  readonly cct: string;
  readonly batch_seq: number;
  readonly idempotency_key: string;
  readonly request_hash: string;
  readonly record_ids: readonly string[];
}

export interface BatchRow extends PlannedBatch {
  state: BatchState;
  /** Requests sent for this batch, of any outcome. */
  attempts: number;
  /** Transient failures counted against the attempt limit. */
  failures: number;
  submission_id: string | null;
  last_status: number | null;
  last_error: string | null;
  updated_at: string;
}

export interface AttemptRow {
  readonly attempt_id: string;
  readonly cutoff_id: string;
  readonly batch_id: string;
  readonly attempt_no: number;
  readonly run_id: string;
  readonly trace_id: string;
  readonly idempotency_key: string;
  readonly request_hash: string;
  readonly started_at: string;
  finished_at: string | null;
  latency_ms: number | null;
  http_status: number | null;
  /** `in_flight` until answered; `abandoned` when the run died first. */
  outcome: string;
  error_code: string | null;
  retry_after_s: number | null;
  is_replayed: boolean;
  response_excerpt: string | null;
}

export interface RecordResultRow {
  readonly cutoff_id: string;
  readonly record_id: string;
  readonly batch_id: string;
  readonly cct: string;
  readonly status: 'accepted' | 'corrected' | 'rejected';
  readonly code: string | null;
  readonly message: string | null;
  readonly sent_grade: number;
  readonly registered_grade: number | null;
  readonly submission_id: string;
  readonly decided_at: string;
}

export const deadLetterKinds = [
  'rejected',
  'attempts_exhausted',
  'idempotency_conflict',
  'invalid_request',
  'unauthorized',
] as const;
export type DeadLetterKind = (typeof deadLetterKinds)[number];

export interface DeadLetterRow {
  readonly cutoff_id: string;
  readonly record_id: string;
  readonly batch_id: string;
  readonly cct: string;
  readonly reason_kind: DeadLetterKind;
  readonly reason_code: string;
  readonly message: string;
  readonly attempts: number;
  readonly created_at: string;
}

export const reconciliationOutcomes = [
  'accepted_as_sent',
  'corrected',
  'rejected',
  'missing_from_registry',
  'present_not_sent',
  'unsendable',
] as const;
export type ReconciliationOutcome = (typeof reconciliationOutcomes)[number];

/** One line of a reconciliation: the cutoff's record against the registry's. No CURP. */
export interface ReconciliationRow {
  readonly cutoff_id: string;
  /** The cutoff's record id, or `registry:<fingerprint>:<subject>` for a record not sent. */
  readonly record_id: string;
  readonly reconciled_at: string;
  readonly outcome: ReconciliationOutcome;
  readonly subject_code: string;
  /** Keyed per-tenant fingerprint of the CURP (never the CURP itself). */
  readonly curp_fingerprint: string;
  readonly sent_grade: number | null;
  readonly registered_grade: number | null;
  readonly code: string | null;
  /** What the ledger says: accepted, corrected, rejected, dead:<kind>, pending, unsendable. */
  readonly ledger_status: string | null;
  /** Pseudonymous student id, when known. */
  readonly student_id: string | null;
  readonly correction_event_id: string | null;
}

/** One PUT amendment sent by `luca sync resend`. */
export interface AmendmentRow {
  readonly cutoff_id: string;
  readonly record_id: string;
  readonly idempotency_key: string;
  readonly trace_id: string;
  readonly http_status: number | null;
  readonly status: string | null;
  readonly code: string | null;
  readonly previous_grade: number | null;
  readonly sent_grade: number;
  readonly registered_grade: number | null;
  readonly amended_at: string;
}

/** How a batch ended: its state, the registry's submission and what became of each record. */
export interface BatchCompletion {
  readonly state: Exclude<BatchState, 'pending'>;
  readonly submission_id: string | null;
  readonly results: readonly RecordResultRow[];
  readonly dead_letters: readonly DeadLetterRow[];
  readonly last_status: number | null;
  readonly last_error: string | null;
}

export interface SyncLedger {
  registerCutoff(cutoff: CutoffRegistration): Promise<void>;
  cutoff(cutoffId: string): Promise<CutoffRegistration | undefined>;
  /** Adds batches not yet planned; planned ones keep their state. */
  planBatches(batches: readonly PlannedBatch[]): Promise<void>;
  batches(cutoffId: string): Promise<BatchRow[]>;
  startAttempt(attempt: AttemptRow): Promise<void>;
  /** Writes the attempt's outcome and the batch's counters together. */
  finishAttempt(attempt: AttemptRow, batch: Pick<BatchRow, 'attempts' | 'failures'>): Promise<void>;
  completeBatch(cutoffId: string, batchId: string, completion: BatchCompletion): Promise<void>;
  /** Marks attempts left `in_flight` by a run that died; returns how many. */
  abandonOpenAttempts(cutoffId: string, currentRunId: string): Promise<number>;
  attempts(cutoffId: string): Promise<AttemptRow[]>;
  results(cutoffId: string): Promise<RecordResultRow[]>;
  deadLetters(cutoffId: string): Promise<DeadLetterRow[]>;
  /** Replaces the cutoff's reconciliation with these rows. */
  saveReconciliation(cutoffId: string, rows: readonly ReconciliationRow[]): Promise<void>;
  reconciliation(cutoffId: string): Promise<ReconciliationRow[]>;
  recordAmendment(row: AmendmentRow): Promise<void>;
  amendments(cutoffId: string): Promise<AmendmentRow[]>;
  close(): Promise<void>;
}
