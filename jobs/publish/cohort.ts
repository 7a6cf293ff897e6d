/** Features the cohort compares a student on (higher = more engaged). */
export const cohortFeatures = [
  'engagement_minutes_7d',
  'active_days_7d',
  'quiz_accuracy_30d',
] as const;

/** A student and its values of the cohort features (other members are ignored). */
export interface CohortMember {
  student_id: string;
  [feature: string]: unknown;
}

/** Cohorts smaller than this are never compared against (privacy: no small groups). */
export const minCohortSize = 10;

/** Maps a student pseudonym to its (pseudonymised) group, or undefined when unknown. */
export type GroupOf = (studentPseudonym: string) => string | undefined;

export interface Cohort {
  group_size: number;
  min_group_size: number;
  percentiles: Record<string, number | null>;
}

/** Percentile rank of `value` in sorted `values`: below + half the ties, 0-100. */
function percentileRank(sorted: readonly number[], value: number): number {
  let below = 0;
  let equal = 0;
  for (const other of sorted) {
    if (other < value) below += 1;
    else if (other === value) equal += 1;
    else break;
  }

  return Math.round(((below + equal / 2) / sorted.length) * 100);
}

function numeric(row: CohortMember, feature: string): number | null {
  const value = row[feature];

  return typeof value === 'number' ? value : null;
}

/**
 * Computes each student's percentiles within its group, only for groups of at
 * least `minCohortSize` students with a profile. Returns a map by student;
 * students in small or unknown groups are absent (their cohort is null).
 * Only ranks leave this function, never another student's value.
 */
export function cohortsOf(rows: readonly CohortMember[], groupOf: GroupOf): Map<string, Cohort> {
  const groups = new Map<string, CohortMember[]>();
  for (const row of rows) {
    const group = groupOf(row.student_id);
    if (group === undefined) continue;
    const members = groups.get(group);
    if (members) members.push(row);
    else groups.set(group, [row]);
  }

  const cohorts = new Map<string, Cohort>();
  for (const members of groups.values()) {
    if (members.length < minCohortSize) continue;
    const sortedByFeature = cohortFeatures.map((feature) =>
      members
        .map((row) => numeric(row, feature))
        .filter((value): value is number => value !== null)
        .sort((a, b) => a - b),
    );
    for (const row of members) {
      const percentiles: Record<string, number | null> = {};
      cohortFeatures.forEach((feature, index) => {
        const value = numeric(row, feature);
        const sorted = sortedByFeature[index] ?? [];
        percentiles[feature] = value === null ? null : percentileRank(sorted, value);
      });
      cohorts.set(row.student_id, {
        group_size: members.length,
        min_group_size: minCohortSize,
        percentiles,
      });
    }
  }

  return cohorts;
}
