import type { LakeEventRow } from '../../../core/index.js';

/** A lake row with a payload padded to about `payloadBytes` bytes. */
export function lakeRowOf(index: number, payloadBytes = 40): LakeEventRow {
  return {
    event_id: `019a0000-0000-7000-8000-${String(index).padStart(12, '0')}`,
    tenant_id: 't-09dpr0001a',
    event_type: 'quiz.answered',
    schema_version: 1,
    occurred_at: '2026-10-05T15:00:00.000Z',
    received_at: '2026-10-05T15:00:01.000Z',
    actor_id: 'p_actor',
    actor_role: 'student',
    student_id: 'p_student',
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    payload: JSON.stringify({ pad: 'x'.repeat(payloadBytes) }),
    event_date: '2026-10-05',
  };
}

/** Records every requested delay instead of waiting. */
export function recordingSleep() {
  const delays: number[] = [];

  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}
