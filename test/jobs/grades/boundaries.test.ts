import { describe, expect, it } from 'vitest';
import type { RoundingMode } from '../../../jobs/grades/policy/policy-schema.js';
import { aPolicy, anEvaluation } from './factories.js';
import { gradeBoth } from './grade-both.js';

const examOnly = { categories: [{ id: 'exam', weight: 1 }] };

describe('consolidation at the boundaries (reference and SQL)', () => {
  const cases: Array<[number, RoundingMode, string]> = [
    [78.5, 'truncate', '7.8'],
    [78.5, 'half_up', '7.9'],
    [78.5, 'half_even', '7.8'],
    [77.5, 'half_even', '7.8'],
    [79.5, 'half_up', '8.0'],
    [79.5, 'half_even', '8.0'],
    [79.5, 'truncate', '7.9'],
    [78.49, 'half_up', '7.8'],
    [78.51, 'half_even', '7.9'],
  ];
  it.each(cases)('rounds %s/100 with %s to %s', async (score, rounding, expected) => {
    // Prepare
    const policy = aPolicy({ ...examOnly, rounding });
    const rows = [anEvaluation({ score, max_score: 100 })];

    // Act
    const { grades } = await gradeBoth(policy, rows);

    // Assess
    expect(grades[0]?.grade).toBe(expected);
  });

  it('truncates an exact 7.9 that binary floating point would make 7.8999...', async () => {
    // Prepare: (7.6 + 8.2) / 2 is 7.8999999999999995 in doubles.
    const policy = aPolicy({ categories: [{ id: 'homework', weight: 1 }] });
    const rows = [
      anEvaluation({ category: 'homework', score: 7.6, max_score: 10 }),
      anEvaluation({ category: 'homework', score: 8.2, max_score: 10 }),
    ];

    // Act
    const { grades } = await gradeBoth(policy, rows);

    // Assess
    expect((7.6 + 8.2) / 2).toBeLessThan(7.9);
    expect(grades[0]?.grade_unrounded).toBe('7.9');
    expect(grades[0]?.grade).toBe('7.9');
  });

  it('never drops the last value of a category, whatever drop_lowest says', async () => {
    // Prepare
    const policy = aPolicy({ categories: [{ id: 'homework', weight: 1, drop_lowest: 5 }] });
    const low = anEvaluation({ category: 'homework', score: 6, max_score: 10 });
    const high = anEvaluation({ category: 'homework', score: 9, max_score: 10 });

    // Act
    const { grades } = await gradeBoth(policy, [low, high]);

    // Assess
    const homework = grades[0]?.explanation.categories[0];
    expect(homework?.dropped).toEqual([{ evaluation_id: low.evaluation_id, value: '6' }]);
    expect(homework?.values).toEqual([{ evaluation_id: high.evaluation_id, value: '9' }]);
    expect(grades[0]?.grade).toBe('9.0');
  });

  it('divides by the weights of the categories that have a counted value only', async () => {
    // Prepare: exam 40 at 8, homework 30 empty, project 20 at 5.
    const rows = [
      anEvaluation({ category: 'exam', score: 8, max_score: 10 }),
      anEvaluation({ category: 'project', score: 5, max_score: 10 }),
    ];

    // Act
    const { grades } = await gradeBoth(aPolicy({ extra_credit: { max_points: 0 } }), rows);

    // Assess: (40*8 + 20*5) / 60 = 7
    expect(grades[0]?.explanation.weight_total).toBe('60');
    expect(grades[0]?.explanation.categories.map((c) => c.applied)).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(grades[0]?.grade).toBe('7.0');
  });

  it('caps extra credit at max_points and the result at scale.max', async () => {
    // Prepare
    const rows = [
      anEvaluation({ category: 'exam', score: 9.8, max_score: 10 }),
      anEvaluation({ category: 'bonus', score: 1, max_score: 1, is_extra_credit: true }),
      anEvaluation({ category: 'bonus', score: 1, max_score: 2, is_extra_credit: true }),
    ];

    // Act
    const { grades } = await gradeBoth(aPolicy({ extra_credit: { max_points: 0.5 } }), rows);

    // Assess: earned 0.5 + 0.25, applied 0.5, 9.8 + 0.5 capped at 10
    const explanation = grades[0]?.explanation;
    expect(explanation?.extra_credit).toMatchObject({ earned: '0.75', applied: '0.5' });
    expect(explanation?.capped_at_max).toBe(true);
    expect(grades[0]?.grade).toBe('10.0');
  });

  it('reports a failing grade as scale.min, or keeps it when failing_reported_as_min is off', async () => {
    // Prepare: 5.99 truncates to 5.9, below passing 6.
    const rows = [anEvaluation({ score: 59.9, max_score: 100 })];

    // Act
    const asMin = await gradeBoth(aPolicy({ ...examOnly, failing_reported_as_min: true }), rows);
    const kept = await gradeBoth(aPolicy({ ...examOnly, failing_reported_as_min: false }), rows);
    const floor = await gradeBoth(aPolicy({ ...examOnly, failing_reported_as_min: false }), [
      anEvaluation({ score: 2, max_score: 10 }),
    ]);

    // Assess
    expect(asMin.grades[0]).toMatchObject({ grade: '5.0', is_passing: false });
    expect(asMin.grades[0]?.explanation.failing_reported_as_min).toBe(true);
    expect(kept.grades[0]).toMatchObject({ grade: '5.9', is_passing: false });
    expect(floor.grades[0]).toMatchObject({ grade: '5.0', grade_unrounded: '2' });
  });

  it.each([
    ['exclude', '10.0'],
    ['zero', '5.0'],
    ['scale_min', '7.5'],
  ] as const)('counts a missing evaluation under missing=%s', async (missing, expected) => {
    // Prepare
    const rows = [
      anEvaluation({ score: 10, max_score: 10 }),
      anEvaluation({ score: 0, max_score: 10, is_missing: true }),
    ];

    // Act
    const { grades } = await gradeBoth(aPolicy({ ...examOnly, missing }), rows);

    // Assess
    expect(grades[0]?.grade).toBe(expected);
    expect(grades[0]?.explanation.missing.evaluation_ids).toEqual([rows[1]?.evaluation_id]);
  });

  it('has no grade, with a reason, when nothing counted', async () => {
    // Prepare
    const rows = [
      anEvaluation({ is_voided: true }),
      anEvaluation({ category: 'quiz' }),
      anEvaluation({ is_missing: true }),
    ];

    // Act
    const { grades } = await gradeBoth(aPolicy(examOnly), rows);

    // Assess
    expect(grades[0]).toMatchObject({ grade: null, is_passing: null });
    expect(grades[0]?.explanation.status).toBe('no_counted_values');
    expect(grades[0]?.explanation.ignored.map((entry) => entry.reason).sort()).toEqual([
      'unknown_category',
      'voided',
    ]);
  });

  it('uses the latest correction instead of the recorded score', async () => {
    // Prepare
    const rows = [anEvaluation({ score: 4, max_score: 10, corrected_score: 8.5 })];

    // Act
    const { grades } = await gradeBoth(aPolicy(examOnly), rows);

    // Assess
    expect(grades[0]?.grade).toBe('8.5');
  });

  it('averages the reported grades of the subjects not excluded', async () => {
    // Prepare: MAT 7.8 (from 7.85 truncated), ESP 9.0, SOCIO excluded.
    const rows = [
      anEvaluation({ subject_code: 'MAT', score: 78.5, max_score: 100 }),
      anEvaluation({ subject_code: 'ESP', score: 9, max_score: 10 }),
      anEvaluation({ subject_code: 'SOCIO', score: 2, max_score: 10 }),
    ];

    // Act
    const { averages } = await gradeBoth(aPolicy(examOnly), rows);

    // Assess: (7.8 + 9.0) / 2 = 8.4, not (7.85 + 9) / 2 = 8.425
    expect(averages).toEqual([
      expect.objectContaining({
        general_average: '8.4',
        general_average_unrounded: '8.4',
        subjects_count: 2,
        subject_codes: 'ESP,MAT',
      }),
    ]);
  });
});
