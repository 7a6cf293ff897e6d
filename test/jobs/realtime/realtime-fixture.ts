import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BufferedEvent, SequencedEvent } from '../../../pipelines/index.js';
import type { RealtimeEventSource } from '../../../jobs/realtime/index.js';
import { testEventId } from '../features/lake-fixture.js';

/** A behaviour row as the landing buffer holds it. */
export function bufferedEvent(
  student: string,
  occurredAt: string,
  type = 'lesson.completed',
  payload: Record<string, unknown> = { lesson_id: 'l1', duration_seconds: 120 },
  tenant = 't-a',
): BufferedEvent {
  return {
    family: 'behaviour',
    event_id: testEventId(),
    tenant_id: tenant,
    event_date: occurredAt.slice(0, 10),
    event_type: type,
    schema_version: 1,
    occurred_at: occurredAt,
    received_at: occurredAt,
    actor_id: student,
    actor_role: 'student',
    student_id: student,
    trace_id: '0af7651916cd43dd8448eb211c80319c',
    payload: JSON.stringify(payload),
  };
}

/** An in-memory source that can hand out the same rows again (redelivery). */
export function memorySource(
  rows: BufferedEvent[],
): RealtimeEventSource & { rows: SequencedEvent[] } {
  const sequenced = rows.map((row, index) => ({ ...row, seq: index + 1 }));

  return {
    rows: sequenced,
    readAfter: (cursor, limit) => sequenced.filter((row) => row.seq > cursor).slice(0, limit),
  };
}

export function tempBufferDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'luca-realtime-')), 'buffer');
}

/** Polls `check` until it returns a value or `timeoutMs` passes. */
export async function waitFor<T>(
  check: () => Promise<T | null>,
  timeoutMs: number,
): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return check();
}
