import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lakeConsolidatedGrades } from '../../../jobs/cutoff/index.js';
import { DuckDbEngine, sqlString } from '../../../jobs/engine/index.js';
import { tempDataPaths } from '../sync/factories.js';

describe('lakeConsolidatedGrades', () => {
  it('reads DECIMAL grades from the curated Parquet as exact text', async () => {
    // Prepare
    const paths = tempDataPaths();
    const dir = join(
      paths.lake,
      'curated',
      'consolidated_grades',
      'tenant_id=t-x1',
      'period_key=2026-2027-P1',
    );
    mkdirSync(dir, { recursive: true });
    const engine = await DuckDbEngine.open({ threads: 1 });
    await engine.run(`
      copy (
          select
              'p_abc' as student_id,
              'MAT' as subject_code,
              '2026-2027/P1' as period_id,
              7.80::decimal(4,2) as grade,
              7.8333::decimal(6,4) as grade_unrounded,
              true as is_passing,
              'default' as policy_id,
              '2026-08-01' as policy_version,
              'h1' as policy_hash,
              '{}' as explanation,
              now() as computed_at
      ) to ${sqlString(join(dir, 'part-0.parquet'))} (format parquet)`);
    await engine.close();

    // Act
    const rows = await lakeConsolidatedGrades(paths.lake).load('t-x1', '2026-2027/P1');

    // Assess
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      student_id: 'p_abc',
      grade: '7.80',
      period_id: '2026-2027/P1',
      policy_version: '2026-08-01',
    });
  });

  it('returns nothing when the period has no grades yet', async () => {
    // Act
    const rows = await lakeConsolidatedGrades(tempDataPaths().lake).load('t-x1', '2026-2027/P2');

    // Assess
    expect(rows).toEqual([]);
  });
});
