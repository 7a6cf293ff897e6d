import { describe, expect, it } from 'vitest';
import { newTraceId, validateEvent } from '../../../../core/index.js';
import type { GradesStore, LifecycleClock } from '../../../../jobs/grades/store/index.js';
import {
  evaluation,
  importLine,
  rosterRecords,
  teacher,
  tenantA,
  tenantB,
  testClock,
} from './factories.js';

/** Builds a fresh, empty store judged by `clock`. */
export type StoreFactory = (clock: LifecycleClock) => Promise<GradesStore>;

async function prepared(factory: StoreFactory, today = '2026-10-01') {
  const clock = testClock(today);
  const store = await factory(clock);
  await store.putRoster(rosterRecords());

  return { store, clock };
}

function expectValidEvents(events: { tenant_id?: string }[]) {
  for (const event of events) {
    const result = validateEvent(event, {
      tenantId: tenantA,
      traceId: newTraceId(),
      now: new Date(),
    });
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
  }
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

/**
 * The behaviour every `GradesStore` implementation must have: the same suite
 * runs against SQLite and against DynamoDB (dynalite).
 */
export function describeGradesStore(name: string, factory: StoreFactory): void {
  describe(`GradesStore (${name}) evaluations`, () => {
    it('records an evaluation at version 1 with a valid recorded event', async () => {
      const { store } = await prepared(factory);

      const result = await store.recordEvaluation(evaluation({ evaluation_id: 'ev-1' }), teacher);

      expect(result.replayed).toBe(false);
      expect(result.evaluation).toMatchObject({ version: 1, status: 'active', group_id: 'g-1a' });
      expect(result.events.map((e) => e.event_type)).toEqual(['evaluation.recorded']);
      expect(result.events[0]?.event_id).toBe(result.evaluation.event_id);
      expectValidEvents(result.events);
      await store.close();
    });

    it('answers a retried create with the stored evaluation and writes nothing', async () => {
      const { store } = await prepared(factory);
      const input = evaluation({ evaluation_id: 'ev-2' });
      const first = await store.recordEvaluation(input, teacher);

      const retry = await store.recordEvaluation(input, teacher);

      expect(retry.replayed).toBe(true);
      expect(retry.events).toEqual([]);
      expect(retry.evaluation).toEqual(first.evaluation);
      await store.close();
    });

    it('refuses a reused evaluation_id with other content, even for another student', async () => {
      const { store } = await prepared(factory);
      await store.recordEvaluation(evaluation({ evaluation_id: 'ev-3' }), teacher);

      const changed = codeOf(
        store.recordEvaluation(evaluation({ evaluation_id: 'ev-3', score: 9 }), teacher),
      );
      const elsewhere = codeOf(
        store.recordEvaluation(evaluation({ evaluation_id: 'ev-3', student_id: 'stu-2' }), teacher),
      );

      expect(await changed).toBe('EVAL_ERR_IDEMPOTENCY_CONFLICT');
      expect(await elsewhere).toBe('EVAL_ERR_IDEMPOTENCY_CONFLICT');
      await store.close();
    });

    it('makes one evaluation per Idempotency-Key when the client sends no id', async () => {
      const { store } = await prepared(factory);
      const { evaluation_id: _id, ...input } = evaluation();
      const context = { ...teacher, idempotencyKey: 'key-record-1' };

      const first = await store.recordEvaluation(input, context);
      const retry = await store.recordEvaluation(input, context);
      const other = codeOf(store.recordEvaluation({ ...input, score: 3 }, context));

      expect(retry.evaluation.evaluation_id).toBe(first.evaluation.evaluation_id);
      expect(retry.replayed).toBe(true);
      expect(await other).toBe('EVAL_ERR_IDEMPOTENCY_CONFLICT');
      await store.close();
    });

    it('does not find a student of another tenant', async () => {
      const { store } = await prepared(factory);

      const code = await codeOf(
        store.recordEvaluation(evaluation({ student_id: 'stu-9' }), teacher),
      );

      expect(code).toBe('EVAL_ERR_STUDENT_NOT_FOUND');
      expect(await store.getEvaluation(tenantB, 'stu-9')).toBeUndefined();
      await store.close();
    });

    it('keeps every correction in the history with its reason, outside the events', async () => {
      const { store } = await prepared(factory);
      await store.recordEvaluation(evaluation({ evaluation_id: 'ev-4' }), teacher);

      const result = await store.correctEvaluation(
        {
          tenant_id: tenantA,
          evaluation_id: 'ev-4',
          score: 9.5,
          reason_code: 'regrade',
          reason: 'rubric reread',
        },
        teacher,
      );

      const stored = await store.getEvaluation(tenantA, 'ev-4');
      expect(stored).toMatchObject({
        version: 2,
        correction_seq: 1,
        score: 9.5,
        last_reason_code: 'regrade',
      });
      expect(stored?.history.map((h) => [h.change, h.score, h.reason])).toEqual([
        ['recorded', 8, null],
        ['corrected', 9.5, 'rubric reread'],
      ]);
      expect(result.events.map((e) => e.event_type)).toEqual(['evaluation.corrected']);
      expect(JSON.stringify(result.events)).not.toContain('rubric reread');
      expectValidEvents(result.events);
      await store.close();
    });

    it('answers a retried correction with the same answer after later changes', async () => {
      const { store } = await prepared(factory);
      await store.recordEvaluation(evaluation({ evaluation_id: 'ev-5' }), teacher);
      const correction = {
        tenant_id: tenantA,
        evaluation_id: 'ev-5',
        score: 7,
        reason_code: 'capture_error',
      } as const;
      const context = { ...teacher, idempotencyKey: 'key-correct-5' };
      const first = await store.correctEvaluation(correction, context);
      await store.correctEvaluation({ ...correction, score: 6 }, teacher);

      const retry = await store.correctEvaluation(correction, context);
      const misuse = codeOf(store.correctEvaluation({ ...correction, score: 5 }, context));

      expect(retry.replayed).toBe(true);
      expect(retry.evaluation).toEqual(first.evaluation);
      expect((await store.getEvaluation(tenantA, 'ev-5'))?.version).toBe(3);
      expect(await misuse).toBe('EVAL_ERR_IDEMPOTENCY_CONFLICT');
      await store.close();
    });

    it('refuses a change made against a stale version', async () => {
      const { store } = await prepared(factory);
      await store.recordEvaluation(evaluation({ evaluation_id: 'ev-6' }), teacher);
      const base = { tenant_id: tenantA, evaluation_id: 'ev-6', reason_code: 'regrade' } as const;
      await store.correctEvaluation({ ...base, score: 7, expected_version: 1 }, teacher);

      const stale = codeOf(
        store.correctEvaluation({ ...base, score: 6, expected_version: 1 }, teacher),
      );
      const staleVoid = codeOf(store.voidEvaluation({ ...base, expected_version: 1 }, teacher));

      expect(await stale).toBe('EVAL_ERR_VERSION_MISMATCH');
      expect(await staleVoid).toBe('EVAL_ERR_VERSION_MISMATCH');
      await store.close();
    });

    it('lets exactly one of two concurrent edits of the same version win', async () => {
      const { store } = await prepared(factory);
      await store.recordEvaluation(evaluation({ evaluation_id: 'ev-7' }), teacher);
      const base = { tenant_id: tenantA, evaluation_id: 'ev-7', reason_code: 'regrade' } as const;

      const outcomes = await Promise.allSettled(
        [6, 7, 9].map((score) =>
          store.correctEvaluation({ ...base, score, expected_version: 1 }, teacher),
        ),
      );

      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason.code] : []));
      expect(won).toHaveLength(1);
      expect(lost).toEqual(['EVAL_ERR_VERSION_MISMATCH', 'EVAL_ERR_VERSION_MISMATCH']);
      expect((await store.getEvaluation(tenantA, 'ev-7'))?.history).toHaveLength(2);
      await store.close();
    });

    it('applies every concurrent edit made without a version, in some order', async () => {
      const { store } = await prepared(factory);
      await store.recordEvaluation(evaluation({ evaluation_id: 'ev-8' }), teacher);
      const base = { tenant_id: tenantA, evaluation_id: 'ev-8', reason_code: 'regrade' } as const;

      await Promise.all(
        [6, 7, 9].map((score) => store.correctEvaluation({ ...base, score }, teacher)),
      );

      const stored = await store.getEvaluation(tenantA, 'ev-8');
      expect(stored).toMatchObject({ version: 4, correction_seq: 3 });
      expect(stored?.history.map((h) => h.correction_seq)).toEqual([0, 1, 2, 3]);
      await store.close();
    });

    it('voids an evaluation once and refuses to correct it afterwards', async () => {
      const { store } = await prepared(factory);
      await store.recordEvaluation(evaluation({ evaluation_id: 'ev-9' }), teacher);
      const base = { tenant_id: tenantA, evaluation_id: 'ev-9', reason_code: 'duplicate' } as const;

      const voided = await store.voidEvaluation(base, teacher);
      const again = await store.voidEvaluation(base, teacher);
      const correction = codeOf(store.correctEvaluation({ ...base, score: 5 }, teacher));

      expect(voided.evaluation).toMatchObject({ status: 'voided', version: 2 });
      expect(voided.events.map((e) => e.event_type)).toEqual(['evaluation.voided']);
      expectValidEvents(voided.events);
      expect(again).toMatchObject({ replayed: true, events: [] });
      expect(await correction).toBe('EVAL_ERR_VOIDED');
      await store.close();
    });

    it('answers an unknown evaluation with not found', async () => {
      const { store } = await prepared(factory);
      const base = { tenant_id: tenantA, evaluation_id: 'ev-none', reason_code: 'other' } as const;

      const correction = await codeOf(store.correctEvaluation({ ...base, score: 1 }, teacher));
      const voiding = await codeOf(store.voidEvaluation(base, teacher));

      expect(correction).toBe('EVAL_ERR_NOT_FOUND');
      expect(voiding).toBe('EVAL_ERR_NOT_FOUND');
      await store.close();
    });
  });

  describe(`GradesStore (${name}) period close`, () => {
    it('after the close refuses records, voids and corrections without a reason', async () => {
      const { store, clock } = await prepared(factory);
      await store.recordEvaluation(evaluation({ evaluation_id: 'ev-c1' }), teacher);
      clock.todayValue = '2026-12-05';
      const base = { tenant_id: tenantA, evaluation_id: 'ev-c1', reason_code: 'regrade' } as const;

      const record = codeOf(store.recordEvaluation(evaluation(), teacher));
      const voiding = codeOf(store.voidEvaluation(base, teacher));
      const bare = codeOf(store.correctEvaluation({ ...base, score: 9 }, teacher));

      expect(await record).toBe('EVAL_ERR_PERIOD_CLOSED');
      expect(await voiding).toBe('EVAL_ERR_PERIOD_CLOSED');
      expect(await bare).toBe('EVAL_ERR_REASON_REQUIRED');
      expect((await store.getEvaluation(tenantA, 'ev-c1'))?.version).toBe(1);
      await store.close();
    });

    it('accepts a correction with a reason after the close and audits it', async () => {
      const { store, clock } = await prepared(factory);
      await store.recordEvaluation(evaluation({ evaluation_id: 'ev-c2' }), teacher);
      clock.todayValue = '2026-12-05';

      const result = await store.correctEvaluation(
        {
          tenant_id: tenantA,
          evaluation_id: 'ev-c2',
          score: 10,
          reason_code: 'registry_correction',
          reason: 'acta firmada',
        },
        teacher,
      );

      expect(result.evaluation).toMatchObject({ is_after_close: true, score: 10 });
      expect(result.events.map((e) => e.event_type)).toEqual([
        'evaluation.corrected',
        'audit.recorded',
      ]);
      expect(result.events[1]?.payload).toMatchObject({
        action: 'evaluation.corrected_after_close',
        resource_id: 'ev-c2',
        outcome: 'allowed',
      });
      expectValidEvents(result.events);
      await store.close();
    });

    it('imports lines judged by their recorded date and reports the refused ones', async () => {
      const { store } = await prepared(factory, '2027-01-10');
      const lines = [
        importLine(1),
        importLine(2, { student_id: 'stu-9' }),
        importLine(3, { recorded_at: '2026-12-20T15:00:00.000Z' }),
        importLine(4),
      ];

      const first = await store.importEvaluations(lines);
      const again = await store.importEvaluations(lines);

      expect(first).toMatchObject({ lines: 4, recorded: 2, replayed: 0 });
      expect(first.rejected.map((r) => [r.line, r.code])).toEqual([
        [2, 'EVAL_ERR_STUDENT_NOT_FOUND'],
        [3, 'EVAL_ERR_PERIOD_CLOSED'],
      ]);
      expect(again).toMatchObject({ recorded: 0, replayed: 2 });
      const stored = await store.getEvaluation(tenantA, 'ev-i1');
      expect(stored).toMatchObject({
        updated_by_id: 'tch-1',
        recorded_at: '2026-10-01T15:00:00.000Z',
      });
      await store.close();
    });
  });

  describe(`GradesStore (${name}) roster`, () => {
    it('answers the relationships the ACL and the cutoff need', async () => {
      const { store } = await prepared(factory);

      expect(await store.groupOfStudent(tenantA, 'stu-1')).toBe('g-1a');
      expect(await store.groupOfStudent(tenantB, 'stu-1')).toBeUndefined();
      expect(await store.groupsOfTeacher(tenantA, 'tch-1')).toEqual(['g-1a']);
      expect(await store.childrenOfGuardian(tenantA, 'gdn-1')).toEqual(['stu-1', 'stu-2']);
      const students = await store.listStudentsWithCurp(tenantA);
      expect(students.map((s) => [s.student_id, s.curp])).toEqual([
        ['stu-1', 'GOLL120304HDFMRS09'],
        ['stu-2', null],
      ]);
      expect(await store.listTenants()).toEqual([tenantA, tenantB]);
      await store.close();
    });

    it('updates a CURP after a fix and refuses a malformed one', async () => {
      const { store } = await prepared(factory);

      await store.updateStudentCurp(tenantA, 'stu-2', 'GOLM130405MDFMRR01');
      const malformed = codeOf(store.updateStudentCurp(tenantA, 'stu-2', 'NOT-A-CURP'));
      const missing = codeOf(store.updateStudentCurp(tenantA, 'stu-77', 'GOLM130405MDFMRR01'));

      const students = await store.listStudentsWithCurp(tenantA);
      expect(students.find((s) => s.student_id === 'stu-2')?.curp).toBe('GOLM130405MDFMRR01');
      expect(await malformed).toBe('ROSTER_ERR_INVALID_CURP');
      expect(await missing).toBe('ROSTER_ERR_STUDENT_NOT_FOUND');
      await store.close();
    });

    it('lists a tenant evaluations and nothing of another tenant', async () => {
      const { store } = await prepared(factory);
      await store.recordEvaluation(evaluation({ evaluation_id: 'ev-l1' }), teacher);
      await store.recordEvaluation(
        evaluation({ evaluation_id: 'ev-l2', student_id: 'stu-2' }),
        teacher,
      );
      await store.recordEvaluation(
        evaluation({ tenant_id: tenantB, evaluation_id: 'ev-l3', student_id: 'stu-9' }),
        teacher,
      );

      const ids: string[] = [];
      for await (const item of store.listEvaluations(tenantA)) ids.push(item.evaluation_id);

      expect(ids.sort()).toEqual(['ev-l1', 'ev-l2']);
      await store.close();
    });
  });
}
