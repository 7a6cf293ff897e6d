import { addDays, disengagementRule, lookbackDays } from '../features/index.js';
import type { Cohort } from './cohort.js';
import type { GradesRow } from './lake-inputs.js';
import type { ProfileTable } from './profile-table.js';
import type { DisengagementReason } from './snapshot-schema.js';

/** What every document of one tenant's publish shares. */
export interface PublishContext {
  tenant_id: string;
  snapshot_version: string;
  published_at: string;
  /** The features' as_of date, or null when the tenant has none. */
  as_of: string | null;
  /** Instant before which events are in the profile. */
  profile_as_of: string | null;
  period_id: string | null;
}

/** The instant a local as_of day ends (00:00 school time of the next day). */
export function asOfCutoffInstant(asOf: string): string {
  return `${addDays(asOf, 1)}T06:00:00.000Z`;
}

function reasonsOf(table: ProfileTable, index: number): DisengagementReason[] {
  const matched = new Set((table.clauses(index) ?? '').split(',').filter(Boolean));

  return disengagementRule.clauses
    .filter((clause) => matched.has(clause.clause_id))
    .flatMap((clause) =>
      clause.conditions.map((condition) => ({
        clause_id: clause.clause_id,
        feature_id: condition.feature_id,
        value: table.value(index, condition.feature_id),
        op: condition.op,
        threshold: condition.threshold,
      })),
    );
}

const { rule_id, version } = disengagementRule;

/** The disengagement member of a student whose flag is down (most of them): built once. */
const notFlagged = JSON.stringify({ flag: false, rule_id, version, reasons: [] });

function disengagementJson(table: ProfileTable, index: number): string {
  if (table.value(index, 'disengagement_flag') !== 1) return notFlagged;

  return JSON.stringify({ flag: true, rule_id, version, reasons: reasonsOf(table, index) });
}

/** A student known from grades with no event in the lookback: inactive by definition. */
function inactiveProfile(asOf: string): string {
  const disengagement = {
    flag: true,
    rule_id,
    version,
    reasons: [
      {
        clause_id: 'inactive_school_week',
        feature_id: 'inactive_school_days',
        value: null,
        op: '>=',
        threshold: 5,
        note: `no learning event in the ${lookbackDays}-day lookback`,
      },
    ],
  };

  return `{"as_of":"${asOf}","features":[],"mastery":[],"disengagement":${JSON.stringify(disengagement)},"cohort":null}`;
}

/** The `profile` member of the student at `index` of `table`, as JSON text. */
export function profileJson(table: ProfileTable, index: number, cohort: Cohort | undefined) {
  const lists = table.listsJson(index);

  return [
    `{"as_of":${JSON.stringify(table.asOf)}`,
    `"features":${lists.features}`,
    `"mastery":${lists.mastery}`,
    `"disengagement":${disengagementJson(table, index)}`,
    `"cohort":${cohort ? JSON.stringify(cohort) : 'null'}}`,
  ].join(',');
}

function gradesJson(row: GradesRow, periodId: string): string {
  return [
    `{"period_id":${JSON.stringify(periodId)}`,
    `"as_of":${JSON.stringify(row.computed_at)}`,
    `"subjects":${row.subjects_json}`,
    `"general_average":${JSON.stringify(row.general_average ?? null)}}`,
  ].join(',');
}

/** Builds one student's document from its profile JSON (undefined: no profile) and grades. */
export type DocumentBuilder = (
  studentId: string,
  profile: string | undefined,
  grades: GradesRow | undefined,
) => string;

/**
 * Returns the function that assembles each document of one publish as JSON
 * text. The head every document shares is serialised once; the profile and
 * the grade subjects arrive as JSON text and are spliced in, not re-parsed.
 */
export function documentBuilder(context: PublishContext): DocumentBuilder {
  const beforeStudent = `{"schema_version":1,"tenant_id":${JSON.stringify(context.tenant_id)}`;
  const afterStudent = `,"snapshot_version":${JSON.stringify(context.snapshot_version)},"published_at":${JSON.stringify(context.published_at)}`;
  const inactive = context.as_of ? inactiveProfile(context.as_of) : 'null';

  return (studentId, profile, grades) => {
    const profilePart = profile ?? inactive;
    const gradesPart = grades && context.period_id ? gradesJson(grades, context.period_id) : 'null';
    const freshness = JSON.stringify({
      profile_as_of: profilePart === 'null' ? null : context.profile_as_of,
      grades_as_of: grades?.computed_at ?? null,
    });

    return `${beforeStudent},"student_id":${JSON.stringify(studentId)}${afterStudent},"profile":${profilePart},"grades":${gradesPart},"freshness":${freshness}}`;
  };
}
