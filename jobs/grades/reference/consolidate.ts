import type { ConsolidatedGrade, EvaluationRow, GeneralAverage } from '../grade-types.js';
import { consolidateSubject, type HashedPolicy } from './calculator.js';
import { Exact, kept, keptText, roundToPolicy } from './exact.js';

/** Picks the policy of a tenant's period. */
export type PolicyLookup = (tenantId: string, periodId: string) => HashedPolicy;

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }

  return groups;
}

const subjectKey = (row: EvaluationRow) =>
  [row.tenant_id, row.period_id, row.student_id, row.subject_code].join('\u0000');

/** Consolidates every student, subject and period in `rows`, sorted by those keys. */
export function consolidateAll(
  lookup: PolicyLookup,
  rows: readonly EvaluationRow[],
  computedAt: string,
): ConsolidatedGrade[] {
  const grades: ConsolidatedGrade[] = [];
  const groups = [...groupBy(rows, subjectKey).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [, group] of groups) {
    const first = group[0] as EvaluationRow;
    grades.push(consolidateSubject(lookup(first.tenant_id, first.period_id), group, computedAt));
  }

  return grades;
}

/**
 * General averages: per student and period, the mean of the reported grades
 * of the subjects that have one and are not in `excluded_from_average`,
 * rounded like a subject grade (no failing-as-minimum step).
 */
export function generalAveragesOf(
  lookup: PolicyLookup,
  grades: readonly ConsolidatedGrade[],
): GeneralAverage[] {
  const averages: GeneralAverage[] = [];
  const key = (grade: ConsolidatedGrade) =>
    [grade.tenant_id, grade.period_id, grade.student_id].join('\u0000');
  for (const [, group] of [...groupBy(grades, key).entries()].sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    const first = group[0] as ConsolidatedGrade;
    const { policy } = lookup(first.tenant_id, first.period_id);
    const counted = group
      .filter((grade) => grade.grade !== null)
      .filter((grade) => !policy.excluded_from_average.includes(grade.subject_code))
      .sort((a, b) => (a.subject_code < b.subject_code ? -1 : 1));
    if (counted.length === 0) continue;
    const sum = counted.reduce((total, grade) => total.plus(grade.grade as string), new Exact(0));
    const mean = kept(sum.div(counted.length));
    averages.push({
      tenant_id: first.tenant_id,
      student_id: first.student_id,
      period_id: first.period_id,
      general_average: roundToPolicy(mean, policy.decimals, policy.rounding).toFixed(
        policy.decimals,
      ),
      general_average_unrounded: keptText(mean),
      subjects_count: counted.length,
      subject_codes: counted.map((grade) => grade.subject_code).join(','),
    });
  }

  return averages;
}
