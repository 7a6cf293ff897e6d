import type { EvaluationRow } from '../../../jobs/grades/grade-types.js';
import {
  type GradingPolicy,
  gradingPolicy,
  type PolicyInput,
  policyHash,
} from '../../../jobs/grades/policy/policy-schema.js';
import type { HashedPolicy } from '../../../jobs/grades/reference/calculator.js';

export const periodP1 = '2026-2027/P1';

/** The example policy, with overrides. */
export function aPolicyInput(overrides: Partial<PolicyInput> = {}): PolicyInput {
  return {
    policy_id: 'secundaria-2026',
    version: 1,
    effective_from: '2026-08-24',
    scale: { min: 5, max: 10, passing: 6 },
    decimals: 1,
    rounding: 'truncate',
    failing_reported_as_min: true,
    missing: 'exclude',
    categories: [
      { id: 'exam', weight: 40, drop_lowest: 0 },
      { id: 'homework', weight: 30, drop_lowest: 1 },
      { id: 'project', weight: 20 },
      { id: 'participation', weight: 10 },
    ],
    extra_credit: { max_points: 0.5 },
    excluded_from_average: ['SOCIO'],
    ...overrides,
  };
}

export function aPolicy(overrides: Partial<PolicyInput> = {}): GradingPolicy {
  return gradingPolicy.parse(aPolicyInput(overrides));
}

export function hashed(policy: GradingPolicy): HashedPolicy {
  return { policy, hash: policyHash(policy) };
}

let counter = 0;

/** One evaluation row; ids are unique unless given. */
export function anEvaluation(overrides: Partial<EvaluationRow> = {}): EvaluationRow {
  counter += 1;

  return {
    tenant_id: 't-test',
    student_id: 's-1',
    subject_code: 'MAT',
    period_id: periodP1,
    evaluation_id: `e-${String(counter).padStart(6, '0')}`,
    category: 'exam',
    score: 10,
    max_score: 10,
    is_missing: false,
    is_extra_credit: false,
    is_voided: false,
    corrected_score: null,
    ...overrides,
  };
}
