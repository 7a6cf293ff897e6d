/**
 * The feature catalogue: every batch feature of the student behaviour profile,
 * with its plain-language meaning, window, unit, the SQL model that computes it
 * and its version. `docs/features.md` is generated from this file (a test keeps
 * them equal) and the SQL mart joins these entries to stamp every feature row.
 *
 * Days are school-local calendar days (America/Mexico_City, fixed UTC-6; see
 * docs/profile.md). A window of N days ending at `as_of` covers the local dates
 * `as_of - (N - 1)` to `as_of`, both included.
 */
export const featureCatalogue = [
  {
    id: 'active_days_7d',
    description: 'Local days with at least one learning event in the last 7 days.',
    window_days: 7,
    unit: 'days',
    model: 'features/feat_activity.sql',
    version: 1,
  },
  {
    id: 'active_days_30d',
    description: 'Local days with at least one learning event in the last 30 days.',
    window_days: 30,
    unit: 'days',
    model: 'features/feat_activity.sql',
    version: 1,
  },
  {
    id: 'engagement_minutes_7d',
    description:
      'Minutes spent on videos, quizzes, games and lessons in the last 7 days ' +
      '(seconds watched, answer time, game and lesson duration; session length is not added ' +
      'again, so nothing counts twice).',
    window_days: 7,
    unit: 'minutes',
    model: 'features/feat_activity.sql',
    version: 1,
  },
  {
    id: 'engagement_trend_wow',
    description:
      'Week-over-week change of engagement minutes: (last 7 days - the 7 days before) / ' +
      'the 7 days before. -0.5 means half as much as the previous week. Empty when the ' +
      'previous week had no engagement.',
    window_days: 14,
    unit: 'ratio',
    model: 'features/feat_activity.sql',
    version: 1,
  },
  {
    id: 'video_completion_rate_30d',
    description:
      'Share of videos watched to at least 90% of their length in the last 30 days. ' +
      'Empty when no video was watched.',
    window_days: 30,
    unit: 'ratio',
    model: 'features/feat_video.sql',
    version: 1,
  },
  {
    id: 'quiz_attempts_30d',
    description: 'Quiz answers submitted in the last 30 days (each answer is one attempt).',
    window_days: 30,
    unit: 'count',
    model: 'features/feat_quiz.sql',
    version: 1,
  },
  {
    id: 'quiz_accuracy_30d',
    description:
      'Share of quiz answers that were correct in the last 30 days. Empty when there ' +
      'were no answers.',
    window_days: 30,
    unit: 'ratio',
    model: 'features/feat_quiz.sql',
    version: 1,
  },
  {
    id: 'hint_rate_30d',
    description:
      'Hints requested per quiz answer in the last 30 days (can exceed 1). Empty when ' +
      'there were no answers.',
    window_days: 30,
    unit: 'ratio',
    model: 'features/feat_quiz.sql',
    version: 1,
  },
  {
    id: 'streak_school_days',
    description:
      'Consecutive active school days (Monday to Friday) ending on the last school day ' +
      'on or before as_of. Weekend activity neither adds to nor breaks it. Capped by ' +
      'the 30-day lookback (at most 22 school days).',
    window_days: 30,
    unit: 'school_days',
    model: 'features/feat_streak.sql',
    version: 1,
  },
  {
    id: 'inactive_school_days',
    description:
      'School days (Monday to Friday) since the last active day, up to as_of. 0 when ' +
      'active on the last school day.',
    window_days: 30,
    unit: 'school_days',
    model: 'features/feat_streak.sql',
    version: 1,
  },
  {
    id: 'usual_study_hour',
    description:
      'Local hour of day (0-23) with the most learning events in the last 30 days; ' +
      'ties go to the earlier hour.',
    window_days: 30,
    unit: 'hour',
    model: 'features/feat_study_hour.sql',
    version: 1,
  },
  {
    id: 'mastery',
    description:
      'Per topic: quiz accuracy smoothed toward a Beta(2, 2) prior, (correct + 2) / ' +
      '(answers + 4), so 3 right answers out of 3 read 0.71, not 1.0, and 20 of 20 ' +
      'read 0.92.',
    window_days: 30,
    unit: 'ratio',
    model: 'features/feat_mastery.sql',
    version: 1,
  },
  {
    id: 'disengagement_flag',
    description:
      '1 when the disengagement rule holds, else 0. The rule and its thresholds are ' +
      'below; the snapshot names the clauses and features that raised it.',
    window_days: 30,
    unit: 'flag',
    model: 'features/feat_disengagement.sql',
    version: 1,
  },
] as const;

export type FeatureEntry = (typeof featureCatalogue)[number];
export type FeatureId = FeatureEntry['id'];

/** The Beta prior mastery is smoothed toward (mean 0.5, weight of 4 answers). */
export const masteryPrior = { alpha: 2, beta: 2 } as const;

/**
 * Days of events one run reads (the longest window). Features never look
 * further back, which is why the streak is capped (see `streak_school_days`).
 */
export const lookbackDays = 30;

/**
 * School-local time. Mexico abolished daylight saving in 2022, so a fixed
 * offset is exact for America/Mexico_City and keeps the SQL Athena-compatible
 * (no time-zone database needed).
 */
export const schoolTime = { zone: 'America/Mexico_City', utc_offset_hours: -6 } as const;

/**
 * The disengagement rule. The flag is raised when ANY clause holds; a clause
 * holds when ALL its conditions hold. A condition on an empty feature (no
 * previous-week engagement for the trend) does not hold.
 */
export const disengagementRule = {
  rule_id: 'disengagement',
  version: 1,
  clauses: [
    {
      clause_id: 'low_activity_and_falling',
      description: 'At most 1 active day this week and engagement at least halved.',
      conditions: [
        { feature_id: 'active_days_7d', op: '<=', threshold: 1 },
        { feature_id: 'engagement_trend_wow', op: '<=', threshold: -0.5 },
      ],
    },
    {
      clause_id: 'inactive_school_week',
      description: 'No activity on the last 5 school days.',
      conditions: [{ feature_id: 'inactive_school_days', op: '>=', threshold: 5 }],
    },
  ],
} as const;

export type DisengagementClause = (typeof disengagementRule.clauses)[number];

/** Finds a catalogue entry by id. */
export function featureById(id: string): FeatureEntry | undefined {
  return featureCatalogue.find((entry) => entry.id === id);
}
