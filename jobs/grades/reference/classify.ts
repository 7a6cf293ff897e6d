import type { EvaluationRow, IgnoredReason } from '../grade-types.js';
import type { GradingPolicy } from '../policy/policy-schema.js';
import { Exact, type ExactValue, exactScore } from './exact.js';

/** What one evaluation contributes under a policy. */
export type Contribution =
  | { kind: 'ignored'; reason: IgnoredReason }
  | { kind: 'extra_credit'; points: ExactValue }
  | { kind: 'missing_excluded' }
  | { kind: 'counted'; category: string; value: ExactValue; is_missing: boolean };

/** The evaluation's score after its latest correction. */
function effectiveScore(row: EvaluationRow): number {
  return row.corrected_score ?? row.score;
}

/**
 * Classifies one evaluation, in this order: voided, extra credit, unknown
 * category, missing (per `policy.missing`), counted.
 */
export function classify(policy: GradingPolicy, row: EvaluationRow): Contribution {
  if (row.is_voided) return { kind: 'ignored', reason: 'voided' };
  if (row.is_extra_credit) return classifyExtraCredit(policy, row);
  if (!policy.categories.some((category) => category.id === row.category)) {
    return { kind: 'ignored', reason: 'unknown_category' };
  }
  if (row.is_missing) {
    if (policy.missing === 'exclude') return { kind: 'missing_excluded' };
    const value = policy.missing === 'zero' ? new Exact(0) : new Exact(policy.scale.min);

    return { kind: 'counted', category: row.category, value, is_missing: true };
  }
  const ratio = exactScore(effectiveScore(row)).div(exactScore(row.max_score));

  return {
    kind: 'counted',
    category: row.category,
    value: ratio.times(policy.scale.max),
    is_missing: false,
  };
}

function classifyExtraCredit(policy: GradingPolicy, row: EvaluationRow): Contribution {
  if (policy.extra_credit.max_points === 0) {
    return { kind: 'ignored', reason: 'extra_credit_not_allowed' };
  }
  if (row.is_missing) return { kind: 'ignored', reason: 'missing_extra_credit' };
  const ratio = exactScore(effectiveScore(row)).div(exactScore(row.max_score));

  return { kind: 'extra_credit', points: ratio.times(policy.extra_credit.max_points) };
}
