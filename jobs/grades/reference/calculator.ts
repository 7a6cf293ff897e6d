import type {
  ConsolidatedGrade,
  EvaluationRow,
  GradeExplanation,
  IgnoredReason,
} from '../grade-types.js';
import type { GradingPolicy } from '../policy/policy-schema.js';
import { averageCategory, type CategoryResult, type CountedValue } from './category-averages.js';
import { classify } from './classify.js';
import { Exact, type ExactValue, kept, keptText, roundToPolicy, trimZeros } from './exact.js';

/** A policy with the hash that identifies its content. */
export interface HashedPolicy {
  readonly policy: GradingPolicy;
  readonly hash: string;
}

interface Sorted {
  counted: CountedValue[];
  extraPoints: ExactValue[];
  extraIds: string[];
  missingIds: string[];
  ignored: Array<{ evaluation_id: string; reason: IgnoredReason }>;
}

function sortContributions(policy: GradingPolicy, rows: readonly EvaluationRow[]): Sorted {
  const sorted: Sorted = {
    counted: [],
    extraPoints: [],
    extraIds: [],
    missingIds: [],
    ignored: [],
  };
  const ordered = [...rows].sort((a, b) => (a.evaluation_id < b.evaluation_id ? -1 : 1));
  for (const row of ordered) {
    const contribution = classify(policy, row);
    const id = row.evaluation_id;
    if (contribution.kind === 'ignored')
      sorted.ignored.push({ evaluation_id: id, reason: contribution.reason });
    if (contribution.kind === 'extra_credit') {
      sorted.extraPoints.push(contribution.points);
      sorted.extraIds.push(id);
    }
    if (contribution.kind === 'missing_excluded') sorted.missingIds.push(id);
    if (contribution.kind === 'counted') {
      if (contribution.is_missing) sorted.missingIds.push(id);
      sorted.counted.push({
        evaluation_id: id,
        category: contribution.category,
        value: contribution.value,
      });
    }
  }

  return sorted;
}

function weightedAverage(results: readonly CategoryResult[]) {
  let weightTotal = new Exact(0);
  let weightedSum = new Exact(0);
  for (const result of results) {
    if (result.average === null) continue;
    weightTotal = weightTotal.plus(result.weight);
    weightedSum = weightedSum.plus(result.weight.times(result.average));
  }

  return { weightTotal, average: weightTotal.isZero() ? null : weightedSum.div(weightTotal) };
}

/** Rounds, reports failing grades as the minimum, and floors at `scale.min`. */
export function reportedGrade(policy: GradingPolicy, unrounded: ExactValue) {
  const rounded = roundToPolicy(kept(unrounded), policy.decimals, policy.rounding);
  const failing = rounded.lessThan(policy.scale.passing);
  const asMin = failing && policy.failing_reported_as_min;
  const floored = Exact.max(asMin ? new Exact(policy.scale.min) : rounded, policy.scale.min);

  return { rounded, asMin, grade: floored };
}

/**
 * The TypeScript reference of consolidation: one subject of one student in
 * one period, under one policy. The SQL model (`sql/grades/`) must give the
 * same grade and the same explanation (test/jobs/grades/differential.test.ts).
 *
 * @example
 * consolidateSubject({ policy, hash }, rows, '2026-12-05T00:00:00.000Z').grade; // '7.8'
 */
export function consolidateSubject(
  { policy, hash }: HashedPolicy,
  rows: readonly EvaluationRow[],
  computedAt: string,
): ConsolidatedGrade {
  const first = rows[0];
  if (!first) throw new Error('consolidateSubject needs at least one evaluation');
  const sorted = sortContributions(policy, rows);
  const results = policy.categories.map((category) => averageCategory(category, sorted.counted));
  const { weightTotal, average } = weightedAverage(results);
  const earned = sorted.extraPoints.reduce((sum, points) => sum.plus(points), new Exact(0));
  const applied = Exact.min(earned, policy.extra_credit.max_points);
  const total = average === null ? null : average.plus(applied);
  const capped = total?.greaterThan(policy.scale.max) ?? false;
  const unrounded = total === null ? null : kept(Exact.min(total, policy.scale.max));
  const reported = unrounded === null ? null : reportedGrade(policy, unrounded);
  const grade = reported ? reported.grade.toFixed(policy.decimals) : null;
  const explanation: GradeExplanation = {
    policy: { id: policy.policy_id, version: policy.version, hash },
    status: average === null ? 'no_counted_values' : 'graded',
    categories: results.map((result) => result.explanation),
    missing: { rule: policy.missing, evaluation_ids: sorted.missingIds },
    extra_credit: {
      max_points: trimZeros(String(policy.extra_credit.max_points)),
      earned: keptText(earned),
      applied: keptText(applied),
      evaluation_ids: sorted.extraIds,
    },
    ignored: sorted.ignored,
    weight_total: keptText(weightTotal),
    weighted_average: average === null ? null : keptText(average),
    capped_at_max: capped,
    unrounded: unrounded === null ? null : keptText(unrounded),
    rounding: {
      mode: policy.rounding,
      decimals: policy.decimals,
      result: reported ? reported.rounded.toFixed(policy.decimals) : null,
    },
    failing_reported_as_min: reported?.asMin ?? false,
    grade,
    computed_at: computedAt,
  };

  return {
    tenant_id: first.tenant_id,
    student_id: first.student_id,
    subject_code: first.subject_code,
    period_id: first.period_id,
    grade,
    grade_unrounded: explanation.unrounded,
    is_passing: reported ? reported.grade.greaterThanOrEqualTo(policy.scale.passing) : null,
    explanation,
  };
}
