import { isValidCurp } from '../../core/index.js';
import type { RegistryStore } from './registry-store.js';

/** One record as the contract's `SubmissionRequest.records[]` describes it. */
export interface SubmittedRecord {
  readonly record_id: string;
  readonly curp?: unknown;
  readonly grade_level?: unknown;
  readonly group?: unknown;
  readonly subject_code?: unknown;
  readonly grade?: unknown;
  readonly absences?: unknown;
}

/** The contract's `RecordResult`. */
export interface RecordResult {
  record_id: string;
  status: 'accepted' | 'rejected' | 'corrected';
  code?: string;
  message?: string;
  registered_grade?: number;
}

/** What the rules need to know about the batch and the registry. */
export interface RuleContext {
  readonly cct: string;
  readonly period: string;
  readonly subjects: ReadonlySet<string>;
  readonly isPeriodClosed: boolean;
  readonly isEnrolled: (curp: string) => boolean;
  readonly store: RegistryStore;
}

function rejected(record_id: string, code: string, message: string): RecordResult {
  return { record_id, status: 'rejected', code, message };
}

/** True for a number from 5 to 10 with at most one decimal (the contract's `Grade`). */
export function isContractGrade(grade: unknown): grade is number {
  if (typeof grade !== 'number' || !Number.isFinite(grade)) return false;
  if (grade < 5 || grade > 10) return false;

  return Math.abs(grade * 10 - Math.round(grade * 10)) < 1e-9;
}

/**
 * Judges one record, as the registry does: one bad record never fails its
 * batch. `seen` holds the (CURP, subject) pairs already taken in this batch.
 */
export function judgeRecord(
  record: SubmittedRecord,
  context: RuleContext,
  seen: Set<string>,
): RecordResult {
  const id = record.record_id;
  const curp = typeof record.curp === 'string' ? record.curp : '';
  if (!isValidCurp(curp))
    return rejected(id, 'CURP_INVALID', 'the CURP fails the pattern or check digit');
  if (!context.isEnrolled(curp))
    return rejected(id, 'CURP_NOT_ENROLLED', 'no enrolment for this CURP');

  const subject = typeof record.subject_code === 'string' ? record.subject_code : '';
  if (!context.subjects.has(subject))
    return rejected(id, 'SUBJECT_UNKNOWN', 'unknown subject code');
  if (!isContractGrade(record.grade)) {
    return rejected(id, 'GRADE_OUT_OF_RANGE', 'a grade is 5 to 10 with one decimal');
  }
  if (context.isPeriodClosed) return rejected(id, 'PERIOD_CLOSED', 'the period is closed');

  const key = `${curp}\u0000${subject}`;
  if (seen.has(key) || context.store.findGrade(context.cct, context.period, curp, subject)) {
    return rejected(id, 'DUPLICATE_RECORD', 'already registered; amend it with PUT');
  }
  seen.add(key);

  return gradeResult(id, record.grade);
}

/** Accepts a grade, registering a failing one (below 6) as 5. */
export function gradeResult(record_id: string, grade: number): RecordResult {
  if (grade < 6 && grade !== 5) {
    return {
      record_id,
      status: 'corrected',
      code: 'FAILING_GRADE_NORMALISED',
      message: 'failing grades are registered as 5',
      registered_grade: 5,
    };
  }

  return { record_id, status: 'accepted', registered_grade: grade };
}
