import { type DuckDbEngine, loadModel, sqlString } from '../engine/index.js';
import { featureCatalogue, masteryPrior } from '../features/index.js';

/** One student's profile parts, ready for `buildDocument`. */
export interface ProfileRow {
  student_id: string;
  as_of: string;
  features_json: string | null;
  mastery_json: string | null;
  disengagement_flag: number | null;
  disengagement_clauses: string | null;
  /** Feature values by id (for rule reasons and cohorts). */
  [feature: string]: unknown;
}

type Columns = Record<string, unknown[]>;

const listedFeatures = featureCatalogue
  .map((entry) => entry.id)
  .filter((id) => id !== 'mastery')
  .sort();

/** One `<feature>` value column per listed feature, for the pivot in SQL. */
function pivotedValuesSql(): string {
  return listedFeatures
    .map((id) => `max(case when feature_id = ${sqlString(id)} then value end) as ${id}`)
    .join(',\n        ');
}

/** The Beta prior as a SQL struct, so mastery entries show it beside the value. */
function masteryPriorSql(): string {
  const fields = Object.entries(masteryPrior).map(([key, value]) => `'${key}': ${value}`);

  return `{${fields.join(', ')}}`;
}

/**
 * Reads a tenant's feature rows for one day as one row per student whose
 * feature and mastery lists are already JSON text built by DuckDB. Moving one
 * string per student into Node, instead of every feature row or list, is what
 * keeps this step short: converting DuckDB lists to JS values cost ten times
 * the query itself.
 */
export async function readProfileRows(
  engine: DuckDbEngine,
  relation: string,
): Promise<ProfileRow[]> {
  const vars = {
    student_features: relation,
    pivoted_feature_values: pivotedValuesSql(),
    mastery_prior: masteryPriorSql(),
  };
  const sql = loadModel('features/pub_student_profiles.sql', vars);
  const reader = await engine.connection.runAndReadAll(sql);
  const columns = reader.getColumnsObjectJS() as Columns;

  return (columns.student_id ?? []).map((student, index) => {
    const row: ProfileRow = {
      student_id: student as string,
      as_of: columns.as_of?.[index] as string,
      features_json: (columns.features_json?.[index] as string | null) ?? '[]',
      mastery_json: (columns.mastery_json?.[index] as string | null) ?? '[]',
      disengagement_flag: Number(columns.disengagement_flag?.[index] ?? 0),
      disengagement_clauses: (columns.disengagement_clauses?.[index] as string | null) ?? null,
    };
    const values = row as Record<string, unknown>;
    for (const id of listedFeatures) values[id] = columns[id]?.[index] ?? null;

    return row;
  });
}
