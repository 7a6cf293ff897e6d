import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  erasedStudents,
  erasureRegisterFile,
  Pseudonymizer,
  registerErasure,
} from '../../../core/index.js';
import { DuckDbEngine, sqlString } from '../../../jobs/engine/index.js';
import { exportEvaluationsSnapshot, SqliteGradesStore } from '../../../jobs/grades/store/index.js';
import { runErasure } from '../../../jobs/privacy/index.js';
import {
  evaluation,
  rosterRecords,
  teacher,
  tenantA,
  tenantB,
  testClock,
} from '../grades/store/factories.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'luca-erasure-register-'));
  dirs.push(dir);

  return dir;
};
const entry = (studentId: string) => ({
  student_id: studentId,
  erased_at: '2026-12-03T10:00:00.000Z',
  audit_event_id: `ev-${studentId}`,
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('erasure register', () => {
  it('registers a pseudonym once, per tenant', () => {
    const lake = tempDir();

    const first = registerErasure(lake, tenantA, entry('p-1'));
    const again = registerErasure(lake, tenantA, entry('p-1'));
    registerErasure(lake, tenantA, entry('p-2'));

    expect([first, again]).toEqual([true, false]);
    expect([...erasedStudents(lake, tenantA)].sort()).toEqual(['p-1', 'p-2']);
    expect(erasedStudents(lake, tenantB).size).toBe(0);
    expect(readFileSync(erasureRegisterFile(lake, tenantA), 'utf8')).not.toContain('stu-');
  });

  it('ignores a torn last line and keeps appending after it', () => {
    const lake = tempDir();
    registerErasure(lake, tenantA, entry('p-1'));
    appendFileSync(erasureRegisterFile(lake, tenantA), '{"student_id":"p-t');

    registerErasure(lake, tenantA, entry('p-2'));

    expect([...erasedStudents(lake, tenantA)].sort()).toEqual(['p-1', 'p-2']);
  });
});

describe('evaluations export after an erasure', () => {
  it("leaves the erased student's evaluations out of curated/ and keeps them in the store", async () => {
    const dir = tempDir();
    const lake = join(dir, 'lake');
    const store = SqliteGradesStore.open({ file: join(dir, 'grades.db'), clock: testClock() });
    await store.putRoster(rosterRecords());
    await store.recordEvaluation(
      evaluation({ evaluation_id: 'ev-1', student_id: 'stu-1' }),
      teacher,
    );
    await store.recordEvaluation(
      evaluation({ evaluation_id: 'ev-2', student_id: 'stu-2' }),
      teacher,
    );
    const pseudonymizer = new Pseudonymizer(Buffer.alloc(32, 3));

    await runErasure({
      tenantId: tenantA,
      studentId: 'stu-1',
      store,
      lakeRoot: lake,
      pseudonymizer,
    });
    const summary = await exportEvaluationsSnapshot(store, lake, {
      pseudonymizer,
      tenantIds: [tenantA],
    });

    const engine = await DuckDbEngine.open({ threads: 1 });
    const glob = join(lake, 'curated', 'evaluations_current', '*', '*.parquet');
    const rows = await engine.query<{ student_id: string }>(
      `select student_id from read_parquet(${sqlString(glob)}) order by all`,
    );
    await engine.close();
    expect(rows).toEqual([{ student_id: pseudonymizer.pseudonym(tenantA, 'stu-2') }]);
    expect(summary).toMatchObject({ rows: 1, erased_skipped: 1 });
    expect((await store.getEvaluation(tenantA, 'ev-1'))?.student_id).toBe('stu-1');
    await store.close();
  });
});
