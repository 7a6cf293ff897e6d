import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyAssignment } from '../../../jobs/grades/consolidation/policy-relations.js';
import { consolidateAll, generalAveragesOf } from '../../../jobs/grades/reference/consolidate.js';
import { hashed, periodP1 } from './factories.js';
import { arbitraryCase, type DifferentialCase } from './generators.js';
import { keyOf, runSql } from './sql-harness.js';

const computedAt = '2026-12-05T06:00:00.000Z';

/** Many cases, one tenant each, so one SQL run grades all of them. */
const arbitraryBatch = fc
  .array(arbitraryCase('t-case'), { minLength: 100, maxLength: 250 })
  .map((cases) =>
    cases.map((testCase, index): DifferentialCase => {
      const tenantId = `t-case-${index}`;
      return { ...testCase, rows: testCase.rows.map((row) => ({ ...row, tenant_id: tenantId })) };
    }),
  );

async function compareBatch(cases: DifferentialCase[]): Promise<void> {
  const assignments: PolicyAssignment[] = cases.map((testCase, index) => ({
    tenant_id: `t-case-${index}`,
    period_id: periodP1,
    policy: hashed(testCase.policy),
  }));
  const byTenant = new Map(assignments.map((assignment) => [assignment.tenant_id, assignment]));
  const lookup = (tenantId: string) => (byTenant.get(tenantId) as PolicyAssignment).policy;
  const rows = cases.flatMap((testCase) => testCase.rows);

  const reference = consolidateAll(lookup, rows, computedAt);
  const referenceAverages = generalAveragesOf(lookup, reference);
  const sql = await runSql(rows, assignments, computedAt);

  expect(sql.grades.size).toBe(reference.length);
  for (const expected of reference) {
    const actual = sql.grades.get(keyOf(expected));
    expect(actual, keyOf(expected)).toBeDefined();
    expect({ key: keyOf(expected), ...actual }).toEqual({
      key: keyOf(expected),
      grade: expected.grade,
      grade_unrounded: expected.grade_unrounded,
      is_passing: expected.is_passing,
      explanation: expected.explanation,
    });
  }
  expect(sql.averages.size).toBe(referenceAverages.length);
  for (const expected of referenceAverages) {
    const { tenant_id, student_id, period_id, ...fields } = expected;
    const actual = sql.averages.get(keyOf({ tenant_id, student_id, period_id }));
    expect(actual).toEqual({ key: keyOf({ tenant_id, student_id, period_id }), ...fields });
  }
}

describe('consolidation (SQL model against the TypeScript reference)', () => {
  it('gives identical grades and explanations for thousands of random policies', async () => {
    // Prepare: batches of 100-250 random policies, each grading up to 14 evaluations.
    let cases = 0;
    // Act and Assess: each batch runs through both implementations once.
    await fc.assert(
      fc.asyncProperty(arbitraryBatch, async (batch) => {
        cases += batch.length;
        await compareBatch(batch);
      }),
      { numRuns: 16, seed: 20261203, endOnFailure: true },
    );

    expect(cases).toBeGreaterThanOrEqual(1600);
  }, 180_000);
});
