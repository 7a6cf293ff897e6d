import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DataPaths,
  ensureDataPaths,
  isLucaError,
  loadPseudonymizer,
} from '../../../core/index.js';
import { DuckDbEngine, sqlString } from '../../../jobs/engine/index.js';
import { runGradesJob } from '../../../jobs/grades/grades-job.js';
import {
  exportEvaluationsSnapshot,
  openLocalGradesStore,
  type SqliteGradesStore,
} from '../../../jobs/grades/store/index.js';

let dir: string;
let paths: DataPaths;
let today: string;
let store: SqliteGradesStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'luca-store-grades-'));
  paths = ensureDataPaths(join(dir, 'data'));
  today = '2026-10-01';
  store = openLocalGradesStore(paths, {
    clock: { now: () => new Date(`${today}T15:00:00Z`), today: () => today },
  });
});
afterEach(async () => {
  await store.close?.();
  rmSync(dir, { recursive: true, force: true });
});

const teacher = { actor: { id: 'teacher-1', role: 'teacher' as const } };

async function exportAndGrade(): Promise<string | null> {
  await exportEvaluationsSnapshot(store, paths.lake, {
    pseudonymizer: loadPseudonymizer(paths.secrets),
  });
  await runGradesJob({ paths });
  const file = join(
    paths.lake,
    'curated/consolidated_grades/tenant_id=t-a/period_key=2026-2027-P1/data.parquet',
  );
  const engine = await DuckDbEngine.open();
  const rows = await engine.query<{ grade_text: string | null }>(
    `select grade_text from read_parquet(${sqlString(file)})`,
  );
  await engine.close();

  return rows[0]?.grade_text ?? null;
}

describe('evaluations store to consolidated grades', () => {
  it('refuses a correction after close without a reason; with one, the next run changes the grade', async () => {
    // Prepare: an enrolled student with an exam recorded during the period, graded once.
    await store.putRoster([
      {
        tenant_id: 't-a',
        kind: 'student',
        id: 'stu-1',
        group_id: 'g-1',
        data: {
          tenant_id: 't-a',
          student_id: 'stu-1',
          name: 'Test Student',
          curp: null,
          group_id: 'g-1',
          grade_level: 1,
        },
      },
    ]);
    await store.recordEvaluation(
      {
        tenant_id: 't-a',
        evaluation_id: 'ev-1',
        student_id: 'stu-1',
        subject_code: 'MAT',
        period_id: '2026-2027/P1',
        category: 'exam',
        score: 6,
        max_score: 10,
      },
      teacher,
    );
    const before = await exportAndGrade();
    today = '2026-12-10';

    // Act
    const refused = await store
      .correctEvaluation(
        { tenant_id: 't-a', evaluation_id: 'ev-1', score: 9, reason_code: 'regrade' },
        teacher,
      )
      .catch((err: unknown) => err);
    const accepted = await store.correctEvaluation(
      {
        tenant_id: 't-a',
        evaluation_id: 'ev-1',
        score: 9,
        reason_code: 'regrade',
        reason: 'exam regraded after review',
      },
      teacher,
    );
    const after = await exportAndGrade();

    // Assess
    expect(before).toBe('6.0');
    expect(isLucaError(refused) && refused.code).toBe('EVAL_ERR_REASON_REQUIRED');
    expect(accepted.events.map((event) => event.event_type)).toContain('audit.recorded');
    expect(after).toBe('9.0');
  });
});
