import fc from 'fast-check';
import type { EvaluationRow } from '../../../jobs/grades/grade-types.js';
import { type GradingPolicy, gradingPolicy } from '../../../jobs/grades/policy/policy-schema.js';
import { periodP1 } from './factories.js';

const categoryIds = ['exam', 'homework', 'project', 'participation'] as const;
const subjects = ['MAT', 'ESP', 'SOCIO'] as const;

/** A decimal with at most `places` decimals in [min, max], drawn as an integer of hundredths. */
const hundredths = (min: number, max: number, places: number) =>
  fc
    .integer({ min: Math.round(min * 10 ** places), max: Math.round(max * 10 ** places) })
    .map((units) => units / 10 ** places);

/** Random valid policies: every rounding mode, missing rule, drops, extra credit. */
export const arbitraryPolicy: fc.Arbitrary<GradingPolicy> = fc
  .record({
    decimals: fc.integer({ min: 0, max: 2 }),
    rounding: fc.constantFrom('truncate', 'half_up', 'half_even'),
    missing: fc.constantFrom('exclude', 'zero', 'scale_min'),
    failing_reported_as_min: fc.boolean(),
    categories: fc.uniqueArray(
      fc.record({
        id: fc.constantFrom(...categoryIds),
        weight: fc.oneof(hundredths(0.01, 100, 0), hundredths(0.01, 100, 2)),
        drop_lowest: fc.integer({ min: 0, max: 3 }),
      }),
      { minLength: 1, maxLength: 4, selector: (category) => category.id },
    ),
    max_points: fc.constantFrom(0, 0.5, 1, 0.25, 2),
    excluded: fc.subarray([...subjects]),
    scale: fc.constantFrom(
      { min: 5, max: 10, passing: 6 },
      { min: 0, max: 100, passing: 60 },
      { min: 1, max: 5, passing: 3 },
      { min: 5, max: 10, passing: 7.5 },
    ),
  })
  .filter((draft) => draft.decimals >= 1 || Number.isInteger(draft.scale.passing))
  .map((draft) =>
    gradingPolicy.parse({
      policy_id: 'random',
      version: 1,
      effective_from: '2026-08-01',
      scale: draft.scale,
      decimals: draft.decimals,
      rounding: draft.rounding,
      failing_reported_as_min: draft.failing_reported_as_min,
      missing: draft.missing,
      categories: draft.categories.map((category) => ({
        ...category,
        weight: category.weight || 1,
      })),
      extra_credit: { max_points: draft.max_points },
      excluded_from_average: draft.excluded,
    }),
  );

/**
 * Scores that land on rounding boundaries often: multiples of 0.05 and 0.005
 * of maximums like 10 and 100, plus thirds and sevenths that never terminate.
 */
const arbitraryScore = fc.oneof(
  fc
    .record({ max_score: fc.constantFrom(10, 100), steps: fc.integer({ min: 0, max: 200 }) })
    .map(({ max_score, steps }) => ({ max_score, score: (steps * max_score) / 200 })),
  fc.record({ max_score: fc.constantFrom(3, 7, 12, 30), score: fc.integer({ min: 0, max: 30 }) }),
  fc.record({
    max_score: fc.constantFrom(1, 8, 12.5, 40),
    score: hundredths(0, 45, 2),
  }),
  fc.constantFrom(
    { score: 7.85, max_score: 10 },
    { score: 78.5, max_score: 100 },
    { score: 7.95, max_score: 10 },
    { score: 5.95, max_score: 10 },
    { score: 6.05, max_score: 10 },
    { score: 0.785, max_score: 1 },
  ),
);

const arbitraryEvaluation = fc.record({
  student: fc.constantFrom('s-1', 's-2'),
  subject: fc.constantFrom(...subjects),
  category: fc.constantFrom(...categoryIds, 'quiz'),
  scored: arbitraryScore,
  flags: fc.integer({ min: 0, max: 19 }),
  correction: fc.option(hundredths(0, 10, 2), { freq: 6 }),
});

/** One test case: a policy and the evaluations of one tenant graded by it. */
export interface DifferentialCase {
  policy: GradingPolicy;
  rows: EvaluationRow[];
}

export const arbitraryCase = (tenantId: string): fc.Arbitrary<DifferentialCase> =>
  fc
    .record({ policy: arbitraryPolicy, drafts: fc.array(arbitraryEvaluation, { maxLength: 14 }) })
    .map(({ policy, drafts }) => ({
      policy,
      rows: drafts.map((draft, index) => ({
        tenant_id: tenantId,
        student_id: draft.student,
        subject_code: draft.subject,
        period_id: periodP1,
        evaluation_id: `e${String(index).padStart(3, '0')}`,
        category: draft.category,
        score: draft.scored.score,
        max_score: draft.scored.max_score,
        is_missing: draft.flags === 0,
        is_extra_credit: draft.flags === 1 || draft.flags === 2,
        is_voided: draft.flags === 3,
        corrected_score: draft.correction,
      })),
    }));
