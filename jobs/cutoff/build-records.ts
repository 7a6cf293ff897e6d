import { createHash } from 'node:crypto';
import { isValidCurp, type Pseudonymizer } from '../../core/index.js';
import type { ConsolidatedGradeRow, CutoffStudent } from './sources.js';

/** A record in the registry contract's shape (`SubmissionRequest.records[]`). */
export interface CutoffRecord {
  readonly record_id: string;
  readonly curp: string;
  readonly grade_level: number;
  readonly group?: string;
  readonly subject_code: string;
  readonly grade: number;
}

/** Where a record came from: pseudonymous student, grade as computed, policy. No CURP. */
export interface LineageRow {
  readonly record_id: string;
  readonly student_id: string;
  readonly subject_code: string;
  readonly period_id: string;
  readonly grade: string;
  readonly grade_unrounded: string | null;
  readonly policy_id: string;
  readonly policy_version: string;
  readonly policy_hash: string;
  readonly computed_at: string | null;
}

export const unsendableReasons = [
  'CURP_MISSING',
  'CURP_INVALID',
  'NO_GRADES',
  'GRADE_NOT_REPORTABLE',
  'GRADE_LEVEL_INVALID',
  'UNKNOWN_STUDENT',
] as const;

/** A student (or one of their grades) that cannot be sent, and why. No CURP, no name. */
export interface UnsendableRow {
  readonly student_id: string;
  readonly subject_code: string | null;
  readonly reason: (typeof unsendableReasons)[number];
  readonly detail: string;
}

export interface BuiltRecords {
  readonly records: CutoffRecord[];
  readonly lineage: LineageRow[];
  readonly unsendable: UnsendableRow[];
  readonly studentCount: number;
  readonly sendableStudents: number;
}

/** Stable across cutoff versions: the same student, subject and period give the same id. */
export function recordIdOf(pseudonym: string, subject: string, periodId: string): string {
  const digest = createHash('sha256').update(`${pseudonym}|${subject}|${periodId}`).digest('hex');

  return `r_${digest.slice(0, 32)}`;
}

/** A contract grade: 5 to 10 with at most one decimal; undefined otherwise. */
export function reportableGrade(grade: string): number | undefined {
  if (!/^\d{1,2}(\.\d+)?$/.test(grade.trim())) return undefined;
  const [whole, fraction = ''] = grade.trim().split('.');
  if (fraction.replace(/0+$/, '').length > 1) return undefined;
  const value = Number(`${whole}.${fraction || '0'}`);

  return value >= 5 && value <= 10 ? value : undefined;
}

function studentProblem(student: CutoffStudent, grades: readonly ConsolidatedGradeRow[]) {
  if (grades.length === 0) return { reason: 'NO_GRADES', detail: 'no consolidated grade' } as const;
  if (student.curp === null || student.curp === '') {
    return { reason: 'CURP_MISSING', detail: 'the roster has no CURP' } as const;
  }
  if (!isValidCurp(student.curp)) {
    return { reason: 'CURP_INVALID', detail: 'pattern or check digit fails' } as const;
  }
  if (
    !Number.isInteger(student.grade_level) ||
    student.grade_level < 1 ||
    student.grade_level > 9
  ) {
    return { reason: 'GRADE_LEVEL_INVALID', detail: 'grade level is 1 to 9' } as const;
  }

  return undefined;
}

/**
 * Maps the lake's pseudonymous grades back to roster students and builds the
 * records to send, their lineage, and every student or grade that cannot be
 * sent with its reason. Output is sorted by record id, so it is deterministic.
 */
export function buildRecords(
  tenantId: string,
  students: Iterable<CutoffStudent>,
  grades: readonly ConsolidatedGradeRow[],
  pseudonymizer: Pseudonymizer,
): BuiltRecords {
  const byPseudonym = new Map<string, ConsolidatedGradeRow[]>();
  for (const row of grades)
    byPseudonym.set(row.student_id, [...(byPseudonym.get(row.student_id) ?? []), row]);
  const out = {
    records: [] as CutoffRecord[],
    lineage: [] as LineageRow[],
    unsendable: [] as UnsendableRow[],
  };
  let studentCount = 0;
  let sendableStudents = 0;
  for (const student of students) {
    studentCount += 1;
    const pseudonym = pseudonymizer.pseudonym(tenantId, student.student_id);
    const own = byPseudonym.get(pseudonym) ?? [];
    byPseudonym.delete(pseudonym);
    const problem = studentProblem(student, own);
    if (problem) {
      out.unsendable.push({ student_id: pseudonym, subject_code: null, ...problem });
      continue;
    }
    sendableStudents += 1;
    for (const row of own) addRecord(out, student, pseudonym, row);
  }
  for (const [pseudonym, rows] of byPseudonym) {
    for (const row of rows) {
      out.unsendable.push({
        student_id: pseudonym,
        subject_code: row.subject_code,
        reason: 'UNKNOWN_STUDENT',
        detail: 'grade of a student not in the roster',
      });
    }
  }
  out.records.sort((a, b) => a.record_id.localeCompare(b.record_id));
  out.lineage.sort((a, b) => a.record_id.localeCompare(b.record_id));

  return { ...out, studentCount, sendableStudents };
}

function addRecord(
  out: { records: CutoffRecord[]; lineage: LineageRow[]; unsendable: UnsendableRow[] },
  student: CutoffStudent,
  pseudonym: string,
  row: ConsolidatedGradeRow,
): void {
  const grade = reportableGrade(row.grade);
  if (grade === undefined) {
    out.unsendable.push({
      student_id: pseudonym,
      subject_code: row.subject_code,
      reason: 'GRADE_NOT_REPORTABLE',
      detail: 'the registry takes 5 to 10 with one decimal',
    });
    return;
  }
  const recordId = recordIdOf(pseudonym, row.subject_code, row.period_id);
  const label = student.group_label;
  out.records.push({
    record_id: recordId,
    curp: student.curp as string,
    grade_level: student.grade_level,
    ...(label && label.length <= 8 ? { group: label } : {}),
    subject_code: row.subject_code,
    grade,
  });
  out.lineage.push({
    record_id: recordId,
    student_id: pseudonym,
    subject_code: row.subject_code,
    period_id: row.period_id,
    grade: row.grade,
    grade_unrounded: row.grade_unrounded,
    policy_id: row.policy_id,
    policy_version: row.policy_version,
    policy_hash: row.policy_hash,
    computed_at: row.computed_at,
  });
}
