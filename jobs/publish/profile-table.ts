import { type DuckDbEngine, loadModel, sqlString } from '../engine/index.js';
import { featureCatalogue, masteryPrior } from '../features/index.js';
import { type CohortMember, cohortFeatures } from './cohort.js';
import { type ResultColumns, readColumns } from './result-columns.js';

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

/** The constant JSON text of a feature's entry around its two numbers (value, event count). */
interface EntryTemplate {
  head: string;
  middle: string;
  tail: string;
}

/** The features a profile lists (mastery has its own list). */
const listedFeatures: ReadonlySet<string> = new Set(
  featureCatalogue.map((entry) => entry.id).filter((id) => id !== 'mastery'),
);

function windowJson(stamp: FeatureStamp): string {
  const { window_days: days, window_start: start, window_end: end } = stamp;

  return `"window":${JSON.stringify({ days, start, end })}`;
}

function stampTail(stamp: FeatureStamp): string {
  const { model, version, as_of } = stamp;

  return `,"model":${JSON.stringify(model)},"version":${version},"as_of":${JSON.stringify(as_of)}}`;
}

function featureTemplate(stamp: FeatureStamp): EntryTemplate {
  return {
    head: `{"feature_id":${JSON.stringify(stamp.feature_id)},"value":`,
    middle: `,"unit":${JSON.stringify(stamp.unit)},${windowJson(stamp)},"event_count":`,
    tail: stampTail(stamp),
  };
}

function masteryTail(stamp: FeatureStamp): string {
  return `,"prior":${JSON.stringify(masteryPrior)},${windowJson(stamp)}${stampTail(stamp)}`;
}

/** A number as JSON text; null (NaN here) and non-finite values as `null`, as JSON.stringify does. */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** A SQL list literal of strings (`cast([] as varchar[])` when empty, so it has a type). */
function listSql(ids: readonly string[]): string {
  return ids.length === 0 ? 'cast([] as varchar[])' : `[${ids.map(sqlString).join(', ')}]`;
}

async function readStamps(engine: DuckDbEngine, vars: Record<string, string>) {
  const rows = await engine.query(loadModel('features/pub_feature_metadata.sql', vars));

  return rows as unknown as FeatureStamp[];
}

async function readTopics(engine: DuckDbEngine, vars: Record<string, string>) {
  const rows = await engine.query<{ topic_id: string }>(
    loadModel('features/pub_mastery_topics.sql', vars),
  );

  return rows.map((row) => row.topic_id);
}

/**
 * One tenant's feature rows for one day, held as typed columns, with each
 * student's profile assembled as JSON text on demand. A student's rows are
 * contiguous and in the order `pub_student_profiles` lists the students
 * (checked by `rowsMatchStudents`), so building a profile walks about 20
 * numbers; the constant text of every entry is prepared once per publish.
 */
export class ProfileTable {
  /** Student pseudonyms, in the order of the feature rows. */
  readonly students: readonly string[];
  /** The features' as_of day. */
  readonly asOf: string;
  readonly #clauses: (string | null)[];
  readonly #studentHash: Float64Array;
  readonly #firstRow: Int32Array;
  readonly #rowHash: Float64Array;
  readonly #feature: Float64Array;
  readonly #topic: Float64Array;
  readonly #value: Float64Array;
  readonly #events: Float64Array;
  readonly #correct: Float64Array;
  readonly #featureNo: ReadonlyMap<string, number>;
  readonly #masteryNo: number;
  readonly #templates: (EntryTemplate | undefined)[];
  readonly #topicHeads: string[];
  readonly #masteryTail: string;
  readonly #masteryEntries = new Map<number, { value: number; text: string }>();

  constructor(
    stamps: readonly FeatureStamp[],
    topics: readonly string[],
    students: ResultColumns,
    values: ResultColumns,
  ) {
    this.students = students.strings('student_id') as string[];
    this.asOf = stamps[0]?.as_of ?? '';
    this.#clauses = students.strings('disengagement_clauses');
    this.#studentHash = students.numbers('student_hash');
    this.#firstRow = firstRows(students.numbers('feature_rows'));
    this.#rowHash = values.numbers('student_hash');
    this.#feature = values.numbers('feature_no');
    this.#topic = values.numbers('topic_no');
    this.#value = values.numbers('value');
    this.#events = values.numbers('event_count');
    this.#correct = values.numbers('correct_answers');
    this.#featureNo = new Map(stamps.map((stamp, index) => [stamp.feature_id, index]));
    this.#masteryNo = this.#featureNo.get('mastery') ?? -1;
    this.#templates = stamps.map((stamp) =>
      listedFeatures.has(stamp.feature_id) ? featureTemplate(stamp) : undefined,
    );
    this.#topicHeads = topics.map((topic) => `{"topic_id":${JSON.stringify(topic)},"value":`);
    const mastery = stamps[this.#masteryNo];
    this.#masteryTail = mastery ? masteryTail(mastery) : '';
  }

  /**
   * Whether each student's rows are its own (same id hash), contiguous and in
   * feature then topic order: what `listsJson` needs to list them sorted.
   */
  rowsMatchStudents(): boolean {
    if (this.#rowHash.length !== this.#firstRow[this.students.length]) return false;
    for (let index = 0; index < this.students.length; index++) {
      const hash = this.#studentHash[index];
      const end = this.#firstRow[index + 1] as number;
      let feature = -1;
      let topic = -1;
      for (let row = this.#firstRow[index] as number; row < end; row++) {
        const rowFeature = this.#feature[row] as number;
        const rowTopic = this.#topic[row] as number;
        if (this.#rowHash[row] !== hash || rowFeature < feature) return false;
        if (rowFeature === feature && !(rowTopic > topic)) return false;
        feature = rowFeature;
        topic = rowTopic;
      }
    }

    return true;
  }

  /** The value of `featureId` for the student at `index`; null when it has none. */
  value(index: number, featureId: string): number | null {
    const feature = this.#featureNo.get(featureId);
    const end = this.#firstRow[index + 1] as number;
    for (let row = this.#firstRow[index] as number; row < end; row++) {
      if (this.#feature[row] === feature) {
        const value = this.#value[row] as number;

        return Number.isNaN(value) ? null : value;
      }
    }

    return null;
  }

  /** Every student with its values of the cohort features, for `cohortsOf`. */
  cohortMembers(): CohortMember[] {
    return this.students.map((student_id, index) => {
      const member: CohortMember = { student_id };
      for (const feature of cohortFeatures) member[feature] = this.value(index, feature);

      return member;
    });
  }

  /** The clauses that raised the student's disengagement flag, comma-separated, or null. */
  clauses(index: number): string | null {
    return this.#clauses[index] ?? null;
  }

  /** The student's `features` and `mastery` lists as JSON text, sorted by feature and topic. */
  listsJson(index: number): { features: string; mastery: string } {
    let features = '';
    let mastery = '';
    const end = this.#firstRow[index + 1] as number;
    for (let row = this.#firstRow[index] as number; row < end; row++) {
      const feature = this.#feature[row] as number;
      if (feature === this.#masteryNo) {
        const entry = this.#masteryEntry(row);
        if (entry !== undefined) mastery += mastery === '' ? entry : `,${entry}`;
        continue;
      }
      const template = this.#templates[feature];
      const events = this.#events[row] as number;
      if (template === undefined || Number.isNaN(events)) continue;
      const numbers = `${jsonNumber(this.#value[row] as number)}${template.middle}${jsonNumber(events)}`;
      features += `${features === '' ? '' : ','}${template.head}${numbers}${template.tail}`;
    }

    return { features: `[${features}]`, mastery: `[${mastery}]` };
  }

  /**
   * One mastery entry as JSON text. Entries repeat across students (a topic
   * with the same answers and correct answers), so they are kept by those
   * three numbers and reused when the value is the same too.
   */
  #masteryEntry(row: number): string | undefined {
    const topic = this.#topic[row] as number;
    const head = this.#topicHeads[topic];
    if (head === undefined) return undefined;
    const value = this.#value[row] as number;
    const answers = this.#events[row] as number;
    const correct = this.#correct[row] as number;
    const key = (topic * 4096 + answers) * 4096 + correct;
    const isSmall = answers < 4096 && correct < 4096 && Number.isSafeInteger(key);
    const known = isSmall ? this.#masteryEntries.get(key) : undefined;
    if (known !== undefined && known.value === value) return known.text;
    const numbers = `${jsonNumber(value)},"answers":${jsonNumber(answers)},"correct":${jsonNumber(correct)}`;
    const text = `${head}${numbers}${this.#masteryTail}`;
    if (isSmall) this.#masteryEntries.set(key, { value, text });

    return text;
  }
}

/** Row offsets from per-student row counts: student i owns rows [out[i], out[i + 1]). */
function firstRows(counts: Float64Array): Int32Array {
  const out = new Int32Array(counts.length + 1);
  for (let index = 0; index < counts.length; index++) {
    out[index + 1] = (out[index] as number) + (counts[index] as number);
  }

  return out;
}

/** How `pub_student_feature_values` may order its rows. */
const rowOrders = {
  /** As the features job writes them: sorted by student, feature and topic. */
  file: '',
  sorted: 'order by student_id, feature_id, topic_id',
} as const;

/**
 * Reads a tenant's feature rows for one day (`relation`: the curated Parquet)
 * into a `ProfileTable`: four small queries, every feature row as numbers.
 * The rows are taken in file order (no sort: 15-27 ms against 62-144 ms
 * sorted on 400,000 rows) when every row matches the student it falls to;
 * otherwise (a file another writer produced) they are read again sorted.
 */
export async function readProfileTable(
  engine: DuckDbEngine,
  relation: string,
): Promise<ProfileTable> {
  const vars = { student_features: relation };
  const stamps = await readStamps(engine, vars);
  const topics = await readTopics(engine, vars);
  const students = await readColumns(
    engine.connection,
    loadModel('features/pub_student_profiles.sql', vars),
  );
  const readValues = (order: keyof typeof rowOrders) =>
    readColumns(
      engine.connection,
      loadModel('features/pub_student_feature_values.sql', {
        ...vars,
        feature_ids: listSql(stamps.map((stamp) => stamp.feature_id)),
        topic_ids: listSql(topics),
        row_order: rowOrders[order],
      }),
    );

  const inFileOrder = new ProfileTable(stamps, topics, students, await readValues('file'));
  if (inFileOrder.rowsMatchStudents()) return inFileOrder;
  const sorted = new ProfileTable(stamps, topics, students, await readValues('sorted'));
  if (!sorted.rowsMatchStudents()) {
    throw new Error('Sorted feature rows do not match their students; the file changed mid-read.');
  }

  return sorted;
}
