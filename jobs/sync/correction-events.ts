import { type IncomingEnvelope, newEventId, newTraceId } from '../../core/index.js';
import type { ReconciliationRow } from './ledger.js';

/** A value the registry registered differently from what was sent. */
export interface RegistryCorrection {
  readonly cutoff_id: string;
  readonly tenant_id: string;
  readonly period_id: string;
  readonly record_id: string;
  /** Pseudonymous student id (as in the lake). */
  readonly student_pseudonym: string | null;
  readonly subject_code: string;
  readonly sent_grade: number;
  readonly registered_grade: number;
  readonly code: string;
  /** A ready `evaluation.corrected` envelope; `student_id` left for the sink to fill. */
  readonly event: IncomingEnvelope;
}

/** Receives corrections (the coordinator wires it to the grades store). */
export type CorrectionSink = (correction: RegistryCorrection) => void | Promise<void>;

/**
 * Builds the `evaluation.corrected` event for a registry correction, with
 * reason_code `registry_correction`. The evaluation is the registry's view of
 * the consolidated grade (`reg-<record id>`), scored out of 10.
 */
export function correctionOf(
  row: ReconciliationRow,
  tenantId: string,
  periodId: string,
  seq: number,
): RegistryCorrection {
  const event: IncomingEnvelope = {
    event_id: newEventId(),
    tenant_id: tenantId,
    event_type: 'evaluation.corrected',
    schema_version: 1,
    occurred_at: row.reconciled_at,
    actor: { id: 'registry-sync', role: 'service' },
    trace_id: newTraceId(),
    payload: {
      evaluation_id: `reg-${row.record_id}`,
      subject_code: row.subject_code,
      period_id: periodId,
      score: row.registered_grade as number,
      max_score: 10,
      is_missing: false,
      reason_code: 'registry_correction',
      correction_seq: seq,
      is_after_close: true,
    },
  };

  return {
    cutoff_id: row.cutoff_id,
    tenant_id: tenantId,
    period_id: periodId,
    record_id: row.record_id,
    student_pseudonym: row.student_id,
    subject_code: row.subject_code,
    sent_grade: row.sent_grade as number,
    registered_grade: row.registered_grade as number,
    code: row.code ?? 'VALUE_DIFFERS',
    event,
  };
}
