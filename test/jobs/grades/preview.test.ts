import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLucaError } from '../../../core/index.js';
import { compareGrades, previewGrades } from '../../../jobs/grades/preview/preview.js';
import { readPreviewEvaluations } from '../../../jobs/grades/preview/preview-input.js';
import { aPolicy } from './factories.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'luca-preview-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const line = (overrides: Record<string, unknown>) =>
  JSON.stringify({
    student_id: 's-1',
    subject: 'MAT',
    period: '2026-2027/P1',
    evaluation_id: 'e1',
    category: 'exam',
    score: 8,
    max_score: 10,
    ...overrides,
  });

function fileWith(lines: string[]): string {
  const file = join(dir, 'evaluations.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);

  return file;
}

describe('readPreviewEvaluations', () => {
  it('reports every bad line by its number and reads nothing', () => {
    // Prepare
    const file = fileWith([
      line({}),
      'not json',
      line({ evaluation_id: 'e2', score: 7.12345 }),
      line({}),
    ]);

    // Act
    const error = (() => {
      try {
        readPreviewEvaluations(file);
      } catch (err) {
        return err;
      }
    })();

    // Assess
    expect(isLucaError(error) && error.code).toBe('GRADES_ERR_EVALUATIONS_INVALID');
    expect(isLucaError(error) && error.details?.problems).toEqual([
      'line 2: not valid JSON',
      'line 3: score: at most 4 decimals',
      'line 4: evaluation_id repeats line 1',
    ]);
  });
});

describe('previewGrades and compareGrades', () => {
  it('grades with the SQL model and shows who crosses the passing line', async () => {
    // Prepare: s-1 averages 6.5 on exams; a policy that drops nothing vs one with zeros.
    const rows = readPreviewEvaluations(
      fileWith([
        line({ evaluation_id: 'e1', score: 7 }),
        line({ evaluation_id: 'e2', score: 6 }),
        line({ evaluation_id: 'e3', score: 0, missing: true }),
      ]),
    );
    const lenient = aPolicy({ categories: [{ id: 'exam', weight: 1 }], missing: 'exclude' });
    const strict = aPolicy({ categories: [{ id: 'exam', weight: 1 }], missing: 'zero' });

    // Act
    const current = await previewGrades(lenient, rows);
    const comparison = compareGrades(current, await previewGrades(strict, rows));

    // Assess: 6.5 passes; (7 + 6 + 0) / 3 = 4.33 fails and is reported as 5.0.
    expect(current.map((grade) => grade.grade)).toEqual(['6.5']);
    expect(current[0]?.explanation.missing).toEqual({ rule: 'exclude', evaluation_ids: ['e3'] });
    expect(comparison).toMatchObject({ changed: 1, becomes_failing: 1, becomes_passing: 0 });
    expect(comparison.differences[0]).toMatchObject({
      grade: '6.5',
      compared_grade: '5.0',
      delta: '-1.5',
      crossing: 'becomes_failing',
    });
  });
});
