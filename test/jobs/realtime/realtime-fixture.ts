import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createLogger } from '../../../core/index.js';
import {
  type BufferedEvent,
  Lander,
  type LandingBuffer,
  type SequencedEvent,
} from '../../../pipelines/index.js';
import type { RealtimeEventSource } from '../../../jobs/realtime/index.js';
import { testEventId, writeRawEvents } from '../features/lake-fixture.js';
import { testRedis } from '../publish/publish-fixture.js';

/**
 * Cleanups run after each test of the file that calls this (in reverse
 * order), and a Redis client on its own key prefix that is cleaned up too.
 */
export function testScope() {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  return {
    defer(...steps: (() => Promise<void> | void)[]) {
      cleanups.push(...steps);
    },
    redis() {
      const handle = testRedis();
      cleanups.push(handle.cleanup);

      return handle;
    },
  };
}

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

/**
 * An in-memory source that can hand out the same rows again (redelivery).
 * `seqs` numbers the rows (default 1, 2, 3...), so a test can leave holes.
 */
export function memorySource(
  rows: BufferedEvent[],
  seqs = rows.map((_row, index) => index + 1),
): RealtimeEventSource & { rows: SequencedEvent[] } {
  const sequenced = rows.map((row, index) => ({ ...row, seq: seqs[index] as number }));

  return {
    rows: sequenced,
    readAfter: (cursor, limit) => sequenced.filter((row) => row.seq > cursor).slice(0, limit),
  };
}

export function tempBufferDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'luca-realtime-')), 'buffer');
}

/** A fresh buffer directory and lake root side by side, as in a data directory. */
export function tempDataDirs(): { buffer: string; lake: string } {
  const root = mkdtempSync(join(tmpdir(), 'luca-realtime-'));

  return { buffer: join(root, 'buffer'), lake: join(root, 'lake') };
}

/** Drains the whole buffer into the lake with the real lander. */
export async function landAll(buffer: LandingBuffer, lakeRoot: string): Promise<void> {
  const logger = createLogger({ level: 'silent' });
  const lander = await Lander.open({ buffer, lakeRoot, logger });
  try {
    await lander.drainAll();
  } finally {
    lander.close();
  }
}

/** Writes buffered rows straight into the lake, as if landed (same ids, same instants). */
export async function writeLanded(lakeRoot: string, rows: BufferedEvent[]): Promise<void> {
  for (const tenant of new Set(rows.map((row) => row.tenant_id))) {
    const list = rows
      .filter((row) => row.tenant_id === tenant)
      .map((row) => ({
        student: row.student_id as string,
        type: row.event_type,
        at: row.occurred_at,
        payload: JSON.parse(row.payload) as Record<string, unknown>,
        eventId: row.event_id,
        receivedAt: row.received_at,
      }));
    await writeRawEvents(lakeRoot, tenant, list);
  }
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
