import type { IncomingEnvelope } from '../../../core/index.js';
import type { EvaluationItem, HistoryEntry } from './types.js';

function envelope(
  item: EvaluationItem,
  entry: HistoryEntry,
  eventType: string,
  payload: Record<string, unknown>,
): IncomingEnvelope {
  return {
    event_id: eventType === 'audit.recorded' ? String(entry.audit_event_id) : entry.event_id,
    tenant_id: item.tenant_id,
    event_type: eventType,
    schema_version: 1,
    occurred_at: entry.at,
    actor: { id: entry.by_id, role: entry.by_role },
    student_id: item.student_id,
    trace_id: entry.trace_id,
    payload,
  };
}

function gradePayload(item: EvaluationItem, entry: HistoryEntry): Record<string, unknown> {
  const key = {
    evaluation_id: item.evaluation_id,
    subject_code: item.subject_code,
    period_id: item.period_id,
  };
  if (entry.change === 'recorded') {
    return {
      ...key,
      group_id: item.group_id,
      category: item.category,
      score: entry.score,
      max_score: entry.max_score,
      is_missing: entry.is_missing,
      is_extra_credit: item.is_extra_credit,
    };
  }
  if (entry.change === 'voided') return { ...key, reason_code: entry.reason_code };

  return {
    ...key,
    score: entry.score,
    max_score: entry.max_score,
    is_missing: entry.is_missing,
    reason_code: entry.reason_code,
    correction_seq: entry.correction_seq,
    is_after_close: entry.is_after_close,
  };
}

/**
 * The events one change emits, as v1 envelopes with raw student ids (the
 * ingest path pseudonymises them): the grade event, plus an `audit.recorded`
 * event when the change happened after the period's close. The free-text
 * reason never appears here.
 */
export function eventsOfChange(item: EvaluationItem, entry: HistoryEntry): IncomingEnvelope[] {
  const events = [envelope(item, entry, `evaluation.${entry.change}`, gradePayload(item, entry))];
  if (entry.audit_event_id) {
    const action =
      entry.change === 'corrected'
        ? 'evaluation.corrected_after_close'
        : `evaluation.${entry.change}`;
    events.push(
      envelope(item, entry, 'audit.recorded', {
        action,
        resource_type: 'evaluation',
        resource_id: item.evaluation_id,
        outcome: 'allowed',
        fields: ['score', 'max_score', 'is_missing', 'reason_code'],
      }),
    );
  }

  return events;
}
