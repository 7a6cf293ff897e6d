import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteGradesStore } from '../../../../jobs/grades/store/index.js';
import { evaluation, importLine, rosterRecords, teacher, tenantA, testClock } from './factories.js';

async function openStore() {
  const file = join(mkdtempSync(join(tmpdir(), 'luca-outbox-')), 'grades.db');
  const store = SqliteGradesStore.open({ file, clock: testClock() });
  await store.putRoster(rosterRecords());

  return { store, file };
}

describe('SqliteGradesStore outbox', () => {
  it('writes each change and its events in one transaction', async () => {
    const { store } = await openStore();

    const recorded = await store.recordEvaluation(evaluation({ evaluation_id: 'ev-o1' }), teacher);
    await store.recordEvaluation(evaluation({ evaluation_id: 'ev-o1' }), teacher);

    const rows = store.outbox.pending(10);
    expect(rows.map((row) => row.event_id)).toEqual([recorded.evaluation.event_id]);
    expect(rows[0]?.event).toEqual(recorded.events[0]);
    await store.close();
  });

  it('keeps neither the change nor its event when the outbox write fails', async () => {
    const { store, file } = await openStore();
    await store.recordEvaluation(evaluation({ evaluation_id: 'ev-o2' }), teacher);
    const saboteur = new Database(file);
    saboteur.exec(`create trigger fail_corrections before insert on outbox
        when new.event_type = 'evaluation.corrected'
        begin select raise(abort, 'disk gone'); end`);

    const failed = store
      .correctEvaluation(
        { tenant_id: tenantA, evaluation_id: 'ev-o2', score: 3, reason_code: 'regrade' },
        teacher,
      )
      .catch((err: Error) => err.message);

    expect(await failed).toBe('disk gone');
    expect((await store.getEvaluation(tenantA, 'ev-o2'))?.version).toBe(1);
    expect(store.outbox.pending(10).map((row) => row.event_type)).toEqual(['evaluation.recorded']);
    saboteur.close();
    await store.close();
  });

  it('rolls back a whole import chunk when the database fails in the middle', async () => {
    const { store, file } = await openStore();
    const saboteur = new Database(file);
    saboteur.exec(`create trigger fail_third before insert on outbox
        when (select count(*) from outbox) = 2
        begin select raise(abort, 'disk gone'); end`);
    const lines = [1, 2, 3, 4].map((n) => importLine(n));

    const failed = await store.importEvaluations(lines).catch((err: Error) => err.message);

    expect(failed).toBe('disk gone');
    expect(await store.getEvaluation(tenantA, 'ev-i1')).toBeUndefined();
    expect(store.outbox.counts()).toEqual({ pending: 0, delivered: 0, rejected: 0 });
    saboteur.close();
    await store.close();
  });

  it('survives reopening: pending rows are still there for the relay', async () => {
    const { store, file } = await openStore();
    await store.recordEvaluation(evaluation({ evaluation_id: 'ev-o3' }), teacher);
    await store.close();

    const reopened = SqliteGradesStore.open({ file });

    expect(reopened.outbox.counts().pending).toBe(1);
    await reopened.close();
  });
});
