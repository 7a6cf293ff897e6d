import type { IncomingEnvelope } from '../../core/index.js';
import { keyedEventId } from './event-ids.js';
import type { SeedEvaluation } from './evaluations.js';

/**
 * The `evaluation.recorded` v1 event of a seeded evaluation, as a producer
 * would send it: the teacher as actor, the raw student id (the ingest path
 * pseudonymises it) and an event id derived from the evaluation id, so the
 * same evaluation always maps to the same event.
 */
export function evaluationRecordedEvent(evaluation: SeedEvaluation): IncomingEnvelope {
  const occurredMs = Date.parse(evaluation.recorded_at);

  return {
    event_id: keyedEventId(occurredMs, `${evaluation.tenant_id}/${evaluation.evaluation_id}`),
    tenant_id: evaluation.tenant_id,
    event_type: 'evaluation.recorded',
    schema_version: 1,
    occurred_at: evaluation.recorded_at,
    actor: { id: evaluation.teacher_id, role: 'teacher' },
    student_id: evaluation.student_id,
    payload: {
      evaluation_id: evaluation.evaluation_id,
      group_id: evaluation.group_id,
      subject_code: evaluation.subject_code,
      period_id: evaluation.period_id,
      category: evaluation.category,
      score: evaluation.score,
      max_score: evaluation.max_score,
      is_missing: evaluation.is_missing,
      is_extra_credit: evaluation.is_extra_credit,
    },
  };
}
