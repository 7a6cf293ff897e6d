import { newEventId } from '../../core/index.js';

/** A valid `quiz.answered` event as a producer would send it; override any field. */
export function quizAnswered(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: newEventId(),
    event_type: 'quiz.answered',
    schema_version: 1,
    occurred_at: new Date(Date.now() - 60_000).toISOString(),
    actor: { id: 'stu-0001', role: 'student' },
    student_id: 'stu-0001',
    payload: {
      quiz_id: 'quiz-1',
      question_id: 'q-1',
      topic_id: 'fractions',
      is_correct: true,
      attempt: 1,
      time_ms: 5400,
    },
    ...overrides,
  };
}
