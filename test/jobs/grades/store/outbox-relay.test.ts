import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IncomingEnvelope, Principal } from '../../../../core/index.js';
import {
  type EventSink,
  OutboxRelay,
  SqliteGradesStore,
} from '../../../../jobs/grades/store/index.js';
import { evaluation, rosterRecords, teacher, tenantA, tenantB, testClock } from './factories.js';

/** A sink that dedupes by event_id like the ingest service, with scripted failures. */
function fakeIngest(options: { loseAnswerOnce?: boolean; rejectType?: string } = {}) {
  const landed = new Map<string, IncomingEnvelope>();
  const calls: { principal: Principal; count: number }[] = [];
  let loseAnswer = options.loseAnswerOnce ?? false;
  const sink: EventSink = async (principal, events) => {
    calls.push({ principal, count: events.length });
    const results = events.map((event) => {
      if (event.event_type === options.rejectType) {
        return { status: 'rejected' as const, code: 'CONTRACT_ERR_INVALID_EVENT', message: 'bad' };
      }
      if (landed.has(event.event_id)) return { status: 'duplicate' as const };
      landed.set(event.event_id, event);
      return { status: 'accepted' as const };
    });
    if (loseAnswer) {
      loseAnswer = false;
      throw new Error('connection reset after the sink stored the batch');
    }
    return { results };
  };

  return { sink, landed, calls };
}

async function storeWithChanges() {
  const file = join(mkdtempSync(join(tmpdir(), 'luca-relay-')), 'grades.db');
  const store = SqliteGradesStore.open({ file, clock: testClock() });
  await store.putRoster(rosterRecords());
  await store.recordEvaluation(evaluation({ evaluation_id: 'ev-r1' }), teacher);
  await store.recordEvaluation(evaluation({ evaluation_id: 'ev-r2' }), teacher);
  await store.correctEvaluation(
    { tenant_id: tenantA, evaluation_id: 'ev-r1', score: 4, reason_code: 'regrade' },
    teacher,
  );
  await store.recordEvaluation(
    evaluation({ tenant_id: tenantB, evaluation_id: 'ev-r3', student_id: 'stu-9' }),
    teacher,
  );

  return store;
}

describe('OutboxRelay', () => {
  it('delivers every pending event once, per tenant, and marks them', async () => {
    const store = await storeWithChanges();
    const ingest = fakeIngest();

    const summary = await new OutboxRelay({ outbox: store.outbox, sink: ingest.sink }).drain();

    expect(summary).toMatchObject({ sent: 4, accepted: 4, duplicate: 0, pending_left: 0 });
    expect(ingest.calls.map((c) => [c.principal.tenantId, c.count])).toEqual([
      [tenantA, 3],
      [tenantB, 1],
    ]);
    expect(store.outbox.counts()).toEqual({ pending: 0, delivered: 4, rejected: 0 });
    await store.close();
  });

  it('resends after a lost answer and counts the sink duplicates as delivered', async () => {
    const store = await storeWithChanges();
    const ingest = fakeIngest({ loseAnswerOnce: true });
    const relay = new OutboxRelay({ outbox: store.outbox, sink: ingest.sink });

    const first = await relay.drain();
    const second = await relay.drain();

    expect(first.error).toContain('connection reset');
    expect(first.pending_left).toBe(4);
    expect(second).toMatchObject({ sent: 4, accepted: 1, duplicate: 3, pending_left: 0 });
    expect(ingest.landed.size).toBe(4);
    await store.close();
  });

  it('keeps rejected events with the sink reason and reports them', async () => {
    const store = await storeWithChanges();
    const ingest = fakeIngest({ rejectType: 'evaluation.corrected' });

    const summary = await new OutboxRelay({ outbox: store.outbox, sink: ingest.sink }).drain();

    expect(summary.rejected).toEqual([
      expect.objectContaining({
        event_type: 'evaluation.corrected',
        code: 'CONTRACT_ERR_INVALID_EVENT',
      }),
    ]);
    expect(store.outbox.counts()).toEqual({ pending: 0, delivered: 3, rejected: 1 });
    expect(store.outbox.rejected()[0]).toMatchObject({ reject_message: 'bad', attempts: 1 });
    await store.close();
  });
});
