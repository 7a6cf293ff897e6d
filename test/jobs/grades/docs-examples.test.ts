import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../core/index.js';
import { readPolicyFile } from '../../../jobs/grades/policy/policy-commands.js';
import { compareGrades, previewGrades } from '../../../jobs/grades/preview/preview.js';
import { readPreviewEvaluations } from '../../../jobs/grades/preview/preview-input.js';

const example = (name: string) => `${repoRoot}/docs/examples/grades/${name}`;

describe('docs/policy-reference.md sample results', () => {
  it('gives the documented grades for the sample evaluations', async () => {
    // Prepare
    const policy = readPolicyFile(example('policy-secundaria-2026.json'));
    const rows = readPreviewEvaluations(example('evaluations-sample.jsonl'));

    // Act
    const grades = await previewGrades(policy, rows);

    // Assess
    expect(
      grades.map((grade) => [grade.student_id, grade.subject, grade.grade_unrounded, grade.grade]),
    ).toEqual([
      ['s-0001', 'ESP', '6.142857142857', '6.1'],
      ['s-0001', 'MAT', '8.59', '8.5'],
      ['s-0002', 'MAT', '6.288888888889', '6.2'],
      ['s-0002', 'SOCIOEMOTIONAL', '10', '10.0'],
    ]);
  });

  it('gives the documented differences under the second policy', async () => {
    // Prepare
    const rows = readPreviewEvaluations(example('evaluations-sample.jsonl'));
    const current = await previewGrades(
      readPolicyFile(example('policy-secundaria-2026.json')),
      rows,
    );

    // Act
    const compared = await previewGrades(
      readPolicyFile(example('policy-secundaria-2026-v2.json')),
      rows,
    );
    const comparison = compareGrades(current, compared);

    // Assess
    expect(
      comparison.differences.map((d) => [d.student_id, d.subject, d.grade, d.compared_grade]),
    ).toEqual([
      ['s-0001', 'ESP', '6.1', '6.1'],
      ['s-0001', 'MAT', '8.5', '8.4'],
      ['s-0002', 'MAT', '6.2', '6.3'],
      ['s-0002', 'SOCIOEMOTIONAL', '10.0', null],
    ]);
    expect(comparison).toMatchObject({ becomes_passing: 0, becomes_failing: 0 });
  });
});
