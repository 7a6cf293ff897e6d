import { isAscii } from 'node:buffer';
import { layoutHead, layoutText, noLayout } from '../../core/index.js';
import { addDays, disengagementRule, lookbackDays } from '../features/index.js';
import type { Cohort } from './cohort.js';
import type { GradesRow } from './lake-inputs.js';
import { DocumentWriter, encoded } from './document-writer.js';
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

/** One student's row in a `ProfileTable`, and its cohort. */
export interface ProfileSource {
  table: ProfileTable;
  index: number;
  cohort: Cohort | undefined;
}

function gradesJson(row: GradesRow, periodId: string): string {
  return [
    `{"period_id":${JSON.stringify(periodId)}`,
    `"as_of":${JSON.stringify(row.computed_at)}`,
    `"subjects":${row.subjects_json}`,
    `"general_average":${JSON.stringify(row.general_average ?? null)}}`,
  ].join(',');
}

/** Builds one student's document (UTF-8 JSON) from its profile (undefined: none) and grades. */
export type DocumentBuilder = (
  studentId: string,
  profile: ProfileSource | undefined,
  grades: GradesRow | undefined,
) => Buffer;

/** The constant pieces of a `profile` member, encoded once per publish. */
function profilePieces(asOfJson: string) {
  return {
    head: encoded(`{"as_of":${asOfJson},"features":`),
    between: encoded(',"mastery":'),
    disengagement: encoded(',"disengagement":'),
    // The disengagement and cohort of most students: flag down, no cohort.
    quietTail: encoded(`${notFlagged},"cohort":null}`),
  };
}

function writeProfile(writer: DocumentWriter, source: ProfileSource, pieces: ProfilePieces) {
  const { table, index, cohort } = source;
  writer.bytes(pieces.head);
  table.writeLists(writer, index, pieces.between);
  writer.bytes(pieces.disengagement);
  const disengagement = disengagementJson(table, index);
  if (disengagement === notFlagged && cohort === undefined) return writer.bytes(pieces.quietTail);
  writer.text(`${disengagement},"cohort":${cohort ? JSON.stringify(cohort) : 'null'}}`);
}

type ProfilePieces = ReturnType<typeof profilePieces>;

/**
 * Fills in the document's layout (ADR 0095), the start and end of its
 * profile, grades and freshness values as the builder wrote them, when it is
 * ASCII, so offsets in
 * bytes are offsets in the reader's string too; otherwise the placeholder
 * stays and the reader scans the document.
 */
function stampLayout(doc: Buffer, offsets: readonly number[]): void {
  if (!isAscii(doc)) return;
  const layout = layoutText(offsets);
  if (layout) doc.write(layout, layoutHead.length, 'latin1');
}

/**
 * Returns the function that writes each document of one publish as UTF-8
 * JSON, each one a slice of `writer`'s buffers. The text every document
 * shares is encoded once; the feature and mastery entries are copied from
 * what the table keeps, the grade subjects arrive as JSON text from SQL and
 * are spliced in, not re-parsed. Each document carries its own layout.
 */
export function documentBuilder(
  context: PublishContext,
  writer = new DocumentWriter(),
): DocumentBuilder {
  const beforeStudent = encoded(
    `${layoutHead}${noLayout}","tenant_id":${JSON.stringify(context.tenant_id)},"student_id":`,
  );
  const afterStudent = encoded(
    `,"snapshot_version":${JSON.stringify(context.snapshot_version)},"published_at":${JSON.stringify(context.published_at)},"profile":`,
  );
  const noProfile = encoded(context.as_of ? inactiveProfile(context.as_of) : 'null');
  const freshnessOf = (hasProfile: boolean, grades: GradesRow | undefined) =>
    JSON.stringify({
      profile_as_of: hasProfile ? context.profile_as_of : null,
      grades_as_of: grades?.computed_at ?? null,
    });
  const gradesKey = encoded(',"grades":');
  const freshnessKey = encoded(',"freshness":');
  // A student with a profile and no grades (every student, without grades) ends the same.
  const noGrades = encoded('null');
  const profileOnlyFreshness = encoded(freshnessOf(true, undefined));
  let pieces: { asOfJson: string; value: ProfilePieces } | undefined;

  return (studentId, profile, grades) => {
    writer.begin();
    writer.bytes(beforeStudent);
    writer.text(JSON.stringify(studentId));
    writer.bytes(afterStudent);
    // Where the profile, grades and freshness values start and end (the layout).
    const offsets: number[] = [writer.length];
    if (profile) {
      if (pieces?.asOfJson !== profile.table.asOfJson) {
        pieces = { asOfJson: profile.table.asOfJson, value: profilePieces(profile.table.asOfJson) };
      }
      writeProfile(writer, profile, pieces.value);
    } else writer.bytes(noProfile);
    offsets.push(writer.length);
    writer.bytes(gradesKey);
    offsets.push(writer.length);
    const isProfileOnly = profile !== undefined && grades === undefined;
    if (isProfileOnly) writer.bytes(noGrades);
    else writer.text(grades && context.period_id ? gradesJson(grades, context.period_id) : 'null');
    offsets.push(writer.length);
    writer.bytes(freshnessKey);
    offsets.push(writer.length);
    if (isProfileOnly) writer.bytes(profileOnlyFreshness);
    else writer.text(freshnessOf(profile !== undefined || context.as_of !== null, grades));
    offsets.push(writer.length);
    writer.char(0x7d);
    const doc = writer.end();
    stampLayout(doc, offsets);

    return doc;
  };
}
