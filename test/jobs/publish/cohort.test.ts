import { describe, expect, it } from 'vitest';
import { cohortsOf, minCohortSize } from '../../../jobs/publish/index.js';

function row(student: string, minutes: number | null) {
  return {
    student_id: student,
    as_of: '2026-10-15',
    features_json: '[]',
    mastery_json: '[]',
    disengagement_flag: 0,
    disengagement_clauses: '',
    engagement_minutes_7d: minutes,
    active_days_7d: 3,
    quiz_accuracy_30d: null,
  };
}

describe('cohortsOf', () => {
  it('ranks students within a group of at least 10', () => {
    // Prepare
    const rows = Array.from({ length: 10 }, (_, index) => row(`s${index}`, index * 10));

    // Act
    const cohorts = cohortsOf(rows, () => 'g1');

    // Assess
    expect(cohorts.get('s0')).toEqual({
      group_size: 10,
      min_group_size: minCohortSize,
      percentiles: { engagement_minutes_7d: 5, active_days_7d: 50, quiz_accuracy_30d: null },
    });
    expect(cohorts.get('s9')?.percentiles.engagement_minutes_7d).toBe(95);
  });

  it('gives no cohort to groups of 9 or to students without a known group', () => {
    // Prepare
    const small = Array.from({ length: 9 }, (_, index) => row(`a${index}`, index));
    const unknown = Array.from({ length: 20 }, (_, index) => row(`u${index}`, index));

    // Act
    const cohorts = cohortsOf([...small, ...unknown], (student) =>
      student.startsWith('a') ? 'g-small' : undefined,
    );

    // Assess
    expect(cohorts.size).toBe(0);
  });
});
