import { defineErrorCatalogue } from '../../core/index.js';

/** Errors of the grades area (policies, consolidation, what-if preview). */
export const gradesErrors = defineErrorCatalogue('grades', {
  GRADES_ERR_POLICY_INVALID: { status: 400, title: 'Invalid grading policy' },
  GRADES_ERR_POLICY_CONFLICT: { status: 409, title: 'Policy version already exists' },
  GRADES_ERR_POLICY_FILE: { status: 400, title: 'Unreadable policy file' },
  GRADES_ERR_EVALUATIONS_INVALID: { status: 400, title: 'Invalid evaluations file' },
  GRADES_ERR_NO_EVALUATIONS: { status: 404, title: 'No evaluations to consolidate' },
});
