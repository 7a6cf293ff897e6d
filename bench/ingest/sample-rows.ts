import type { BufferedEvent } from '../../pipelines/index.js';
import { newEventId, newTraceId } from '../../core/index.js';

/** A realistic buffered `quiz.answered` row (ids already pseudonyms), for buffer benchmarks. */
export function sampleRow(index: number, tenantCount = 5): BufferedEvent {
  const occurredAt = new Date(Date.UTC(2026, 8, 1 + (index % 20), 14, 0, index % 60));

  return {
    family: 'behaviour',
    tenant_id: `t-bench-${index % tenantCount}`,
    event_date: occurredAt.toISOString().slice(0, 10),
    event_id: newEventId(),
    event_type: 'quiz.answered',
    schema_version: 1,
    occurred_at: occurredAt.toISOString(),
    received_at: new Date().toISOString(),
    actor_id: `p_${String(index % 5000).padStart(22, 'a')}`,
    actor_role: 'student',
    student_id: `p_${String(index % 5000).padStart(22, 'a')}`,
    trace_id: newTraceId(),
    payload: JSON.stringify({
      quiz_id: 'quiz-12',
      question_id: `q-${index % 40}`,
      topic_id: 'fractions',
      is_correct: index % 3 !== 0,
      attempt: 1,
      time_ms: 4200 + (index % 900),
    }),
  };
}
