import { type EngineName, sqlString, type SqlVars } from '../engine/index.js';
import {
  type DisengagementClause,
  disengagementRule,
  featureCatalogue,
  lookbackDays,
  masteryPrior,
  schoolTime,
} from './catalogue.js';

/** The staging model (owned by the landing area) the features read from. */
export const stagingModel = {
  name: 'stg_events__behaviour',
  file: 'staging/stg_events__behaviour.sql',
} as const;

/**
 * The feature models in dependency order: each may reference the ones before
 * it through a `{{ name }}` placeholder. The last one is the mart written to
 * the lake.
 */
export const featureModels = [
  { name: 'int_behaviour_events__local', file: 'features/int_behaviour_events__local.sql' },
  { name: 'int_student_days', file: 'features/int_student_days.sql' },
  { name: 'feat_activity', file: 'features/feat_activity.sql' },
  { name: 'feat_quiz', file: 'features/feat_quiz.sql' },
  { name: 'feat_video', file: 'features/feat_video.sql' },
  { name: 'feat_mastery', file: 'features/feat_mastery.sql' },
  { name: 'feat_streak', file: 'features/feat_streak.sql' },
  { name: 'feat_study_hour', file: 'features/feat_study_hour.sql' },
  { name: 'feat_disengagement', file: 'features/feat_disengagement.sql' },
  { name: 'mart_student_features', file: 'features/mart_student_features.sql' },
] as const;

/**
 * What the feature models and their staging write differently per engine,
 * beside `engineMacros` (function names): `inline_cte` marks a CTE that two
 * branches of a model read and that must stay inlined. DuckDB stores such a
 * CTE, and then reads every raw column (about 5% of the job's CPU time);
 * Athena takes no hint.
 */
export const featureMacros: Readonly<Record<EngineName, SqlVars>> = {
  duckdb: { inline_cte: 'not materialized' },
  athena: { inline_cte: '' },
};

/** Adds `days` (may be negative) to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const time = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;

  return new Date(time).toISOString().slice(0, 10);
}

function conditionSql(condition: DisengagementClause['conditions'][number]): string {
  // A comparison with an empty feature is null; coalesce makes it "does not hold".
  return `coalesce(${condition.feature_id} ${condition.op} ${condition.threshold}, false)`;
}

/**
 * The disengagement rule as one SQL expression: the ids of the clauses that
 * hold, comma-separated ('' when none). `concat_ws` skips nulls on both engines.
 */
export function disengagementSql(): string {
  const clauses = disengagementRule.clauses.map((clause) => {
    const when = clause.conditions.map(conditionSql).join(' and ');

    return `case when ${when} then ${sqlString(clause.clause_id)} end`;
  });

  return `concat_ws(',', ${clauses.join(', ')})`;
}

/** The catalogue as an inline relation the mart joins to stamp each row. */
export function catalogueRelationSql(asOf: string): string {
  const rows = featureCatalogue.map((entry) => {
    const windowStart = addDays(asOf, -(entry.window_days - 1));
    const values = [
      sqlString(entry.id),
      sqlString(entry.unit),
      entry.window_days,
      `date ${sqlString(windowStart)}`,
      sqlString(entry.model),
      entry.version,
    ];

    return `(${values.join(', ')})`;
  });
  const columns = 'feature_id, unit, window_days, window_start, model, version';

  return `(values ${rows.join(', ')}) as feature_catalogue (${columns})`;
}

/** Placeholder values shared by every feature model for one `as_of`. */
export function featureVars(asOf: string): SqlVars {
  return {
    as_of: asOf,
    lookback_days: lookbackDays,
    local_offset_hours: -schoolTime.utc_offset_hours,
    mastery_alpha: masteryPrior.alpha,
    mastery_beta: masteryPrior.beta,
    disengagement_matched_clauses: disengagementSql(),
    feature_catalogue: catalogueRelationSql(asOf),
  };
}
