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

interface FeatureStamp {
  feature_id: string;
  unit: string;
  window_days: number;
  window_start: string;
  window_end: string;
  model: string;
  version: number;
  as_of: string;
}

type Columns = Record<string, unknown[]>;

const listedFeatures = featureCatalogue
  .map((entry) => entry.id)
  .filter((id) => id !== 'mastery')
  .sort();

function windowJson(stamp: FeatureStamp): string {
  return JSON.stringify({
    days: stamp.window_days,
    start: stamp.window_start,
    end: stamp.window_end,
  });
}

/**
 * The constant parts of a feature's JSON entry around its two variable
 * numbers (value, event count): built once per feature, not per student.
 */
function entryTemplate(stamp: FeatureStamp) {
  return {
    head: `{"feature_id":${JSON.stringify(stamp.feature_id)},"value":`,
    middle: `,"unit":${JSON.stringify(stamp.unit)},"window":${windowJson(stamp)},"event_count":`,
    tail: `,"model":${JSON.stringify(stamp.model)},"version":${stamp.version},"as_of":${JSON.stringify(stamp.as_of)}}`,
  };
}

function jsonNumber(value: unknown): string {
  if (value === null || value === undefined) return 'null';

  return typeof value === 'bigint' ? value.toString() : String(value);
}

async function columnsOf(engine: DuckDbEngine, sql: string): Promise<Columns> {
  const reader = await engine.connection.runAndReadAll(sql);

  return reader.getColumnsObjectJS() as Columns;
}

function pivotSql(): string {
  return listedFeatures
    .flatMap((id) => [
      `max(case when feature_id = ${sqlString(id)} then value end) as ${id}__value`,
      `max(case when feature_id = ${sqlString(id)} then event_count end) as ${id}__events`,
    ])
    .join(',\n        ');
}

function masteryJson(columns: Columns, index: number, stamp: FeatureStamp | undefined): string {
  const topics = columns.topic_ids?.[index] as string[] | undefined;
  if (!topics || !stamp) return '[]';
  const values = columns.mastery_values?.[index] as number[];
  const answers = columns.answers?.[index] as bigint[];
  const correct = columns.correct_answers?.[index] as bigint[];
  const entries = topics.map((topic_id, at) => ({
    topic_id,
    value: values[at] as number,
    answers: Number(answers[at]),
    correct: Number(correct[at]),
    prior: masteryPrior,
    window: { days: stamp.window_days, start: stamp.window_start, end: stamp.window_end },
    model: stamp.model,
    version: stamp.version,
    as_of: stamp.as_of,
  }));
  entries.sort((a, b) => (a.topic_id < b.topic_id ? -1 : 1));

  return JSON.stringify(entries);
}

/**
 * Reads a tenant's feature rows for one day and assembles each student's
 * feature list as JSON text: one wide row per student from SQL, the constant
 * parts of every entry prepared once. This keeps publishing fast.
 */
export async function readProfileRows(
  engine: DuckDbEngine,
  relation: string,
): Promise<ProfileRow[]> {
  const vars = { student_features: relation, pivoted_feature_columns: pivotSql() };
  const stamps = await engine.query<FeatureStamp & Record<string, unknown>>(
    loadModel('features/pub_feature_metadata.sql', vars),
  );
  const byId = new Map(stamps.map((stamp) => [stamp.feature_id, stamp]));
  const wide = await columnsOf(engine, loadModel('features/pub_student_profiles.sql', vars));
  const mastery = await columnsOf(engine, loadModel('features/pub_student_mastery.sql', vars));
  const masteryIndex = new Map((mastery.student_id ?? []).map((student, at) => [student, at]));
  const templates = listedFeatures.flatMap((id) => {
    const stamp = byId.get(id);
    return stamp ? [{ id, ...entryTemplate(stamp) }] : [];
  });
  const asOf = stamps[0]?.as_of ?? '';

  return (wide.student_id ?? []).map((student, index) => {
    const entries: string[] = [];
    const row: ProfileRow = {
      student_id: student as string,
      as_of: asOf,
      features_json: null,
      mastery_json: masteryJson(mastery, masteryIndex.get(student) ?? -1, byId.get('mastery')),
      disengagement_flag: Number(wide.disengagement_flag__value?.[index] ?? 0),
      disengagement_clauses: (wide.disengagement_clauses?.[index] as string | null) ?? null,
    };
    for (const template of templates) {
      const events = wide[`${template.id}__events`]?.[index];
      if (events === null || events === undefined) continue;
      const value = wide[`${template.id}__value`]?.[index];
      (row as Record<string, unknown>)[template.id] = value ?? null;
      entries.push(
        `${template.head}${jsonNumber(value)}${template.middle}${jsonNumber(events)}${template.tail}`,
      );
    }
    row.features_json = `[${entries.join(',')}]`;

    return row;
  });
}
