import { expect } from 'vitest';
import type { ConsolidatedGrade, EvaluationRow } from '../../../jobs/grades/grade-types.js';
import type { GradingPolicy } from '../../../jobs/grades/policy/policy-schema.js';
import { consolidateAll, generalAveragesOf } from '../../../jobs/grades/reference/consolidate.js';
import { hashed, periodP1 } from './factories.js';
import { keyOf, runSql } from './sql-harness.js';

export const computedAt = '2026-12-05T06:00:00.000Z';

/**
 * Grades `rows` under `policy` with the TypeScript reference AND the SQL
 * model, asserts both agree on every field, and returns the reference's grades.
 */
export async function gradeBoth(policy: GradingPolicy, rows: EvaluationRow[]) {
  const policyOf = hashed(policy);
  const lookup = () => policyOf;
  const reference = consolidateAll(lookup, rows, computedAt);
  const averages = generalAveragesOf(lookup, reference);
  const tenants = [...new Set(rows.map((row) => row.tenant_id))];
  const assignments = tenants.map((tenant_id) => ({
    tenant_id,
    period_id: periodP1,
    policy: policyOf,
  }));
  const sql = await runSql(rows, assignments, computedAt);
  for (const grade of reference) {
    const { tenant_id, student_id, subject_code, period_id, ...fields } = grade;
    const { key: _key, ...actual } = sql.grades.get(keyOf(grade)) ?? { key: '' };
    expect(actual, keyOf(grade)).toEqual(fields);
  }
  expect(sql.averages.size).toBe(averages.length);

  return { grades: reference, averages, bySubject: bySubject(reference) };
}

function bySubject(grades: ConsolidatedGrade[]): Record<string, ConsolidatedGrade> {
  return Object.fromEntries(grades.map((grade) => [grade.subject_code, grade]));
}
