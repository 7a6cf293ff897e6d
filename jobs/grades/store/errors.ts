import { defineErrorCatalogue } from '../../../core/index.js';

/**
 * Errors of the roster and evaluations store. The HTTP edge answers each with
 * its status as `application/problem+json`; the CLI prints the code and exits 2.
 */
export const gradesStoreErrors = defineErrorCatalogue('grades-store', {
  EVAL_ERR_INVALID_INPUT: { status: 400, title: 'Invalid evaluation request' },
  EVAL_ERR_UNKNOWN_PERIOD: { status: 400, title: 'Unknown period' },
  EVAL_ERR_STUDENT_NOT_FOUND: { status: 404, title: 'Student not found' },
  EVAL_ERR_NOT_FOUND: { status: 404, title: 'Evaluation not found' },
  EVAL_ERR_IDEMPOTENCY_CONFLICT: { status: 409, title: 'Idempotency key reused' },
  EVAL_ERR_VERSION_CONFLICT: { status: 409, title: 'Concurrent change' },
  EVAL_ERR_VERSION_MISMATCH: { status: 412, title: 'Version does not match' },
  EVAL_ERR_VOIDED: { status: 409, title: 'Evaluation is voided' },
  EVAL_ERR_PERIOD_CLOSED: { status: 409, title: 'Period closed' },
  EVAL_ERR_REASON_REQUIRED: { status: 422, title: 'Reason required after close' },
  EVAL_ERR_TOO_MANY_CHANGES: { status: 409, title: 'Too many changes' },
  EVAL_ERR_FORBIDDEN_GROUP: { status: 403, title: 'Not a teacher of this group' },
  ROSTER_ERR_INVALID_LINE: { status: 400, title: 'Invalid roster line' },
  ROSTER_ERR_STUDENT_NOT_FOUND: { status: 404, title: 'Student not found' },
  ROSTER_ERR_INVALID_CURP: { status: 400, title: 'Invalid CURP' },
});

export type GradesStoreErrorCode = keyof typeof gradesStoreErrors.catalogue;
