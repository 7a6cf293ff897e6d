import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  createLogger,
  ensureDataPaths,
  loadPseudonymizer,
  repoRoot,
} from '../../../../core/index.js';
import { DuckDbEngine, sqlString } from '../../../../jobs/engine/index.js';
import {
  exportEvaluationsSnapshot,
  openLocalGradesStore,
  runGradesJob,
  setPolicyFromFile,
} from '../../../../jobs/grades/index.js';
import { evaluation, rosterRecords, teacher, tenantA, testClock } from './factories.js';

async function gradeOf(lake: string, student: string): Promise<string> {
  const engine = await DuckDbEngine.open();
  const glob = join(lake, 'curated', 'consolidated_grades', '*', '*', '*.parquet');
  const rows = await engine.query<{ grade: string }>(
    `select grade from read_parquet(${sqlString(glob)}, hive_partitioning = true)
     where student_id = ${sqlString(student)} and subject_code = 'MAT'`,
  );
  await engine.close();

  return rows.map((row) => String(row.grade)).join(',');
}

describe('an after-close correction', () => {
  it('is refused without a reason, and with one changes the grade on the next run', async () => {
    const paths = ensureDataPaths(mkdtempSync(join(tmpdir(), 'luca-regrade-')));
    const clock = testClock('2026-10-01');
    const store = openLocalGradesStore(paths, { clock });
    await store.putRoster(rosterRecords());
    setPolicyFromFile(
      paths,
      tenantA,
      join(repoRoot, 'docs/examples/grades/policy-secundaria-2026.json'),
    );
    await store.recordEvaluation(evaluation({ evaluation_id: 'ev-a', score: 6 }), teacher);
    await store.recordEvaluation(evaluation({ evaluation_id: 'ev-b', score: 8 }), teacher);
    const pseudonymizer = loadPseudonymizer(paths.secrets);
    const student = pseudonymizer.pseudonym(tenantA, 'stu-1');
    const logger = createLogger({ level: 'silent' });
    await exportEvaluationsSnapshot(store, paths.lake, { pseudonymizer });
    await runGradesJob({ paths, tenantId: tenantA, logger });
    const before = await gradeOf(paths.lake, student);
    clock.todayValue = '2026-12-10';
    const correction = {
      tenant_id: tenantA,
      evaluation_id: 'ev-a',
      score: 10,
      reason_code: 'regrade',
    } as const;

    const refused = await store.correctEvaluation(correction, teacher).catch((err) => err.code);
    const accepted = await store.correctEvaluation(
      { ...correction, reason: 'examen recalificado' },
      teacher,
    );
    await exportEvaluationsSnapshot(store, paths.lake, { pseudonymizer });
    await runGradesJob({ paths, tenantId: tenantA, logger });
    const after = await gradeOf(paths.lake, student);

    expect(refused).toBe('EVAL_ERR_REASON_REQUIRED');
    expect(before).toBe('7.00');
    expect(after).toBe('9.00');
    const audit = store.outbox.pending(20).filter((row) => row.event_type === 'audit.recorded');
    expect(audit.map((row) => row.event.payload)).toEqual([
      expect.objectContaining({ action: 'evaluation.corrected_after_close', resource_id: 'ev-a' }),
    ]);
    expect(accepted.events.map((e) => e.event_type)).toEqual([
      'evaluation.corrected',
      'audit.recorded',
    ]);
    await store.close();
  }, 120_000);
});
