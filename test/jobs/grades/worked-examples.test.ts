import { describe, expect, it } from 'vitest';
import type { PolicyInput } from '../../../jobs/grades/policy/policy-schema.js';
import { aPolicy, anEvaluation } from './factories.js';
import { gradeBoth } from './grade-both.js';

/** A 0-100 percentage scale, as the gradebooks below use. */
const percent = (overrides: Partial<PolicyInput>) =>
  aPolicy({
    scale: { min: 0, max: 100, passing: 60 },
    failing_reported_as_min: false,
    extra_credit: { max_points: 0 },
    ...overrides,
  });

/**
 * Worked examples from public gradebook documentation, written as policies.
 * Each cites the page and what it documents; the expected numbers are the
 * documented results (or, where our rules differ on purpose, ours and why).
 */
describe('worked examples from public gradebook documentation', () => {
  it('Moodle, Grade aggregation, "Weighted mean of grades": 62.5', async () => {
    // Source: Moodle docs, Grade aggregation (docs.moodle.org/en/Grade_aggregation), as
    // restated by CEU's course editing guide: three items 70/100, 20/80 and 10/10
    // weighted 10, 5 and 3 give 62.5 out of 100. One category per weighted item here.
    const policy = percent({
      categories: [
        { id: 'a1', weight: 10 },
        { id: 'a2', weight: 5 },
        { id: 'a3', weight: 3 },
      ],
    });
    const rows = [
      anEvaluation({ category: 'a1', score: 70, max_score: 100 }),
      anEvaluation({ category: 'a2', score: 20, max_score: 80 }),
      anEvaluation({ category: 'a3', score: 10, max_score: 10 }),
    ];

    const { grades } = await gradeBoth(policy, rows);

    expect(grades[0]?.grade).toBe('62.5');
  });

  it('Moodle, Grade aggregation, "Simple weighted mean of grades": 52.6', async () => {
    // Source: the same page: weights are the items' maximum grades (100, 80, 10);
    // the documented total is 0.526 of 100, i.e. 52.63... shown as 52.6.
    const policy = percent({
      categories: [
        { id: 'a1', weight: 100 },
        { id: 'a2', weight: 80 },
        { id: 'a3', weight: 10 },
      ],
    });
    const rows = [
      anEvaluation({ category: 'a1', score: 70, max_score: 100 }),
      anEvaluation({ category: 'a2', score: 20, max_score: 80 }),
      anEvaluation({ category: 'a3', score: 10, max_score: 10 }),
    ];

    const { grades } = await gradeBoth(policy, rows);

    expect(grades[0]?.grade_unrounded).toBe('52.631578947368');
    expect(grades[0]?.grade).toBe('52.6');
  });

  it('Moodle, "Extra credit coefficient" help (mean of grades with extra credits): 95', async () => {
    // Source: Moodle 1.9 help string grade/aggregationcoefextra: items 0-100 graded 40
    // and 70 are averaged (55), and an extra-credit item graded 20 with coefficient 2
    // adds 20 * 2 = 40, for 95 out of 100. Coefficient 2 on a 0-100 item is
    // max_points 200 here (20/100 * 200 = 40), within the cap.
    const policy = percent({
      categories: [{ id: 'items', weight: 1 }],
      extra_credit: { max_points: 200 },
    });
    const rows = [
      anEvaluation({ category: 'items', score: 40, max_score: 100 }),
      anEvaluation({ category: 'items', score: 70, max_score: 100 }),
      anEvaluation({ category: 'bonus', score: 20, max_score: 100, is_extra_credit: true }),
    ];

    const { grades } = await gradeBoth(policy, rows);

    expect(grades[0]?.explanation.extra_credit.applied).toBe('40');
    expect(grades[0]?.grade).toBe('95.0');
  });

  it('Google Classroom, "Set up grading": total points 185/200 is 92.5%', async () => {
    // Source: Google for Education help, answer 9184995: an essay 90/100 and a test
    // 95/100 give 185/200 = 92.5%. With equal maximums the mean of the normalised
    // values equals the points ratio, so one category reproduces it.
    const policy = percent({ categories: [{ id: 'classwork', weight: 100 }] });
    const rows = [
      anEvaluation({ category: 'classwork', score: 90, max_score: 100 }),
      anEvaluation({ category: 'classwork', score: 95, max_score: 100 }),
    ];

    const { grades } = await gradeBoth(policy, rows);

    expect(grades[0]?.grade).toBe('92.5');
  });

  it('Canvas, assignment group rules: keeps the only score when one is dropped', async () => {
    // Source: Canvas instructor guide "How do I create rules for an assignment group?":
    // a group must hold more scores than it drops before a drop applies. Ours: never
    // drop the last value, so one score with drop_lowest 1 is kept.
    const policy = percent({ categories: [{ id: 'quizzes', weight: 1, drop_lowest: 1 }] });
    const rows = [anEvaluation({ category: 'quizzes', score: 65, max_score: 100 })];

    const { grades } = await gradeBoth(policy, rows);

    expect(grades[0]?.explanation.categories[0]?.dropped).toEqual([]);
    expect(grades[0]?.grade).toBe('65.0');
  });

  it('Canvas, assignment group rules: differs on purpose when point values differ', async () => {
    // Source: the same guide: 100% of 50 points, 65% of 100 and 50% of 24 is 127/174
    // (73%); Canvas drops the 65% item because dropping it leaves the best points
    // total (62/74, 83.8%). Our rule drops the lowest normalised value (the 50%
    // item) and averages values, not points: (100 + 65) / 2 = 82.5. See
    // docs/policy-reference.md, "drop_lowest".
    const policy = percent({ categories: [{ id: 'homework', weight: 1, drop_lowest: 1 }] });
    const lowest = anEvaluation({ category: 'homework', score: 12, max_score: 24 });
    const rows = [
      anEvaluation({ category: 'homework', score: 50, max_score: 50 }),
      anEvaluation({ category: 'homework', score: 65, max_score: 100 }),
      lowest,
    ];

    const { grades } = await gradeBoth(policy, rows);

    expect(grades[0]?.explanation.categories[0]?.dropped).toEqual([
      { evaluation_id: lowest.evaluation_id, value: '50' },
    ]);
    expect(grades[0]?.grade).toBe('82.5');
  });
});
