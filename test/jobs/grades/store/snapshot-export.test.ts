import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Pseudonymizer } from '../../../../core/index.js';
import { DuckDbEngine, sqlString } from '../../../../jobs/engine/index.js';
import {
  exportEvaluationsSnapshot,
  SqliteGradesStore,
} from '../../../../jobs/grades/store/index.js';
import { evaluation, rosterRecords, teacher, tenantA, tenantB, testClock } from './factories.js';

describe('exportEvaluationsSnapshot', () => {
  it('writes the current state per tenant as Parquet with pseudonymous student ids', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luca-snapshot-test-'));
    const store = SqliteGradesStore.open({ file: join(dir, 'grades.db'), clock: testClock() });
    await store.putRoster(rosterRecords());
    await store.recordEvaluation(evaluation({ evaluation_id: 'ev-x1', score: 6 }), teacher);
    await store.recordEvaluation(evaluation({ evaluation_id: 'ev-x2' }), teacher);
    const base = { tenant_id: tenantA, reason_code: 'regrade' } as const;
    await store.correctEvaluation({ ...base, evaluation_id: 'ev-x1', score: 7.85 }, teacher);
    await store.voidEvaluation({ ...base, evaluation_id: 'ev-x2' }, teacher);
    const pseudonymizer = new Pseudonymizer(Buffer.alloc(32, 7));
    const lake = join(dir, 'lake');

    await exportEvaluationsSnapshot(store, lake, { pseudonymizer });
    const summary = await exportEvaluationsSnapshot(store, lake, { pseudonymizer });

    expect(summary).toMatchObject({ tenants: 2, rows: 2 });
    const engine = await DuckDbEngine.open();
    const glob = join(lake, 'curated', 'evaluations_current', '*', '*.parquet');
    const rows = await engine.query(
      `select * from read_parquet(${sqlString(glob)}, hive_partitioning = true) order by evaluation_id`,
    );
    await engine.close();
    expect(rows).toMatchObject([
      {
        tenant_id: tenantA,
        student_id: pseudonymizer.pseudonym(tenantA, 'stu-1'),
        evaluation_id: 'ev-x1',
        score: 6,
        corrected_score: 7.85,
        correction_count: 1,
        is_voided: false,
      },
      { evaluation_id: 'ev-x2', corrected_score: null, correction_count: 0, is_voided: true },
    ]);
    expect(JSON.stringify(rows)).not.toContain('stu-1');
    expect(rows.some((row) => row.tenant_id === tenantB)).toBe(false);
    await store.close();
  });
});
