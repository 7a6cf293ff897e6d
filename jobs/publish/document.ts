import { addDays, disengagementRule, lookbackDays } from '../features/index.js';
import type { Cohort } from './cohort.js';
import type { GradesRow, ProfileRow } from './lake-inputs.js';
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

function reasonsOf(row: ProfileRow): DisengagementReason[] {
  const matched = new Set((row.disengagement_clauses ?? '').split(',').filter(Boolean));

  return disengagementRule.clauses
    .filter((clause) => matched.has(clause.clause_id))
    .flatMap((clause) =>
      clause.conditions.map((condition) => {
        const value = row[condition.feature_id];

        return {
          clause_id: clause.clause_id,
          feature_id: condition.feature_id,
          value: typeof value === 'number' ? value : null,
          op: condition.op,
          threshold: condition.threshold,
        };
      }),
    );
}

function disengagementOf(row: ProfileRow) {
  const { rule_id, version } = disengagementRule;

  return { flag: row.disengagement_flag === 1, rule_id, version, reasons: reasonsOf(row) };
}

/** A student known from grades with no event in the lookback: inactive by definition. */
function inactiveProfile(asOf: string): string {
  const disengagement = {
    flag: true,
    rule_id: disengagementRule.rule_id,
    version: disengagementRule.version,
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

function profileJson(row: ProfileRow, cohort: Cohort | undefined): string {
  return [
    `{"as_of":${JSON.stringify(row.as_of)}`,
    `"features":${row.features_json ?? '[]'}`,
    `"mastery":${row.mastery_json ?? '[]'}`,
    `"disengagement":${JSON.stringify(disengagementOf(row))}`,
    `"cohort":${JSON.stringify(cohort ?? null)}}`,
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

/**
 * Assembles one student's document as JSON text. The feature, mastery and
 * subject lists arrive as JSON from SQL and are spliced in, not re-parsed:
 * this is what keeps publishing above 50,000 documents a second.
 */
export function buildDocument(
  context: PublishContext,
  studentId: string,
  profile: ProfileRow | undefined,
  grades: GradesRow | undefined,
  cohort: Cohort | undefined,
): string {
  let profilePart = 'null';
  if (profile) profilePart = profileJson(profile, cohort);
  else if (context.as_of) profilePart = inactiveProfile(context.as_of);
  const gradesPart = grades && context.period_id ? gradesJson(grades, context.period_id) : 'null';
  const freshness = {
    profile_as_of: profilePart === 'null' ? null : context.profile_as_of,
    grades_as_of: grades?.computed_at ?? null,
  };
  const head = {
    schema_version: 1,
    tenant_id: context.tenant_id,
    student_id: studentId,
    snapshot_version: context.snapshot_version,
    published_at: context.published_at,
  };

  return `${JSON.stringify(head).slice(0, -1)},"profile":${profilePart},"grades":${gradesPart},"freshness":${JSON.stringify(freshness)}}`;
}
