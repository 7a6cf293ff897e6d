import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DataPaths, ensureDataPaths, isLucaError } from '../../../core/index.js';
import { DuckDbEngine, sqlString } from '../../../jobs/engine/index.js';
import { runGradesJob } from '../../../jobs/grades/grades-job.js';
import { SqlitePolicyStore } from '../../../jobs/grades/policy/policy-store.js';
import { aPolicy } from './factories.js';

let dir: string;
let paths: DataPaths;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'luca-grades-job-'));
  paths = ensureDataPaths(join(dir, 'data'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface SnapshotLine {
  student_id: string;
  subject_code: string;
  evaluation_id: string;
  category: string;
  score: number;
  max_score: number;
  corrected_score?: number | null;
  corrected_max_score?: number | null;
}

/** Writes an evaluations snapshot partition in the store export's layout. */
async function writeSnapshot(tenantId: string, lines: SnapshotLine[]): Promise<void> {
  const partition = join(paths.lake, 'curated', 'evaluations_current', `tenant_id=${tenantId}`);
  mkdirSync(partition, { recursive: true });
  const jsonl = join(dir, `${tenantId}.jsonl`);
  const rows = lines.map((line) => ({
    period_id: '2026-2027/P1',
    is_missing: false,
    is_extra_credit: false,
    is_voided: false,
    corrected_score: null,
    corrected_max_score: null,
    correction_count: 0,
    version: 1,
    updated_at: '2026-10-01T00:00:00Z',
    ...line,
  }));
  writeFileSync(jsonl, rows.map((row) => JSON.stringify(row)).join('\n'));
  const engine = await DuckDbEngine.open();
  await engine.run(
    `copy (select * from read_json_auto(${sqlString(jsonl)})) to ${sqlString(join(partition, 'data.parquet'))} (format parquet)`,
  );
  await engine.close();
}

async function readGrades(tenantId: string) {
  const engine = await DuckDbEngine.open();
  const file = join(
    paths.lake,
    'curated',
    'consolidated_grades',
    `tenant_id=${tenantId}`,
    'period_key=2026-2027-P1',
    'data.parquet',
  );
  const rows = await engine.query(
    `select student_id, subject_code, grade_text, cast(grade as varchar) as grade, policy_version,
        explanation from read_parquet(${sqlString(file)}) order by all`,
  );
  await engine.close();

  return rows;
}

describe('runGradesJob', () => {
  it('writes consolidated grades and general averages per tenant and period', async () => {
    // Prepare
    const store = SqlitePolicyStore.inStateDir(paths.state);
    store.set('t-a', aPolicy({ categories: [{ id: 'exam', weight: 1 }] }));
    store.close();
    await writeSnapshot('t-a', [
      {
        student_id: 'p_1',
        subject_code: 'MAT',
        evaluation_id: 'e1',
        category: 'exam',
        score: 78.5,
        max_score: 100,
      },
      {
        student_id: 'p_1',
        subject_code: 'ESP',
        evaluation_id: 'e2',
        category: 'exam',
        score: 4,
        max_score: 10,
        corrected_score: 9,
        corrected_max_score: 10,
      },
    ]);

    // Act
    const summary = await runGradesJob({ paths, computedAt: new Date('2026-12-05T06:00:00Z') });

    // Assess
    expect(summary).toMatchObject({ rows_in: 2, grades_out: 2, averages_out: 1 });
    expect(summary.outputs).toHaveLength(2);
    expect(summary.bytes_read).toBeGreaterThan(0);
    const grades = await readGrades('t-a');
    expect(grades.map((row) => [row.subject_code, row.grade_text, row.grade])).toEqual([
      ['ESP', '9.0', '9.00'],
      ['MAT', '7.8', '7.80'],
    ]);
    expect(JSON.parse(String(grades[0]?.explanation)).computed_at).toBe('2026-12-05T06:00:00.000Z');
  });

  it('replaces the partition on a re-run instead of adding to it', async () => {
    // Prepare
    await writeSnapshot('t-a', [
      {
        student_id: 'p_1',
        subject_code: 'MAT',
        evaluation_id: 'e1',
        category: 'exam',
        score: 8,
        max_score: 10,
      },
    ]);
    await runGradesJob({ paths });

    // Act: a correction lands in the snapshot and the job runs again.
    await writeSnapshot('t-a', [
      {
        student_id: 'p_1',
        subject_code: 'MAT',
        evaluation_id: 'e1',
        category: 'exam',
        score: 8,
        max_score: 10,
        corrected_score: 9.5,
      },
    ]);
    await runGradesJob({ paths });

    // Assess
    const partition = join(paths.lake, 'curated', 'consolidated_grades', 'tenant_id=t-a');
    expect(readdirSync(partition)).toEqual(['period_key=2026-2027-P1']);
    expect((await readGrades('t-a')).map((row) => row.grade_text)).toEqual(['9.5']);
  });

  it('grades only the tenant asked for, with the default policy when it has none', async () => {
    // Prepare
    for (const tenant of ['t-a', 't-b']) {
      await writeSnapshot(tenant, [
        {
          student_id: 'p_1',
          subject_code: 'MAT',
          evaluation_id: 'e1',
          category: 'exam',
          score: 7,
          max_score: 10,
        },
      ]);
    }

    // Act
    const summary = await runGradesJob({ paths, tenantId: 't-b' });

    // Assess
    expect(summary.partitions).toEqual([
      expect.objectContaining({ tenant_id: 't-b', policy_id: 'default' }),
    ]);
    expect(readdirSync(join(paths.lake, 'curated', 'consolidated_grades'))).toEqual([
      'tenant_id=t-b',
    ]);
  });

  it('says what to do when there is no evaluations snapshot', async () => {
    const error = await runGradesJob({ paths }).catch((err: unknown) => err);

    expect(isLucaError(error) && error.code).toBe('GRADES_ERR_NO_EVALUATIONS');
  });
});
