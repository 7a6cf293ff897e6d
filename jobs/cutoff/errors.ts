import { defineErrorCatalogue } from '../../core/index.js';

/** Errors of the quarterly cutoff (`luca cutoff ...`). */
export const cutoffErrors = defineErrorCatalogue('cutoff', {
  CUTOFF_ERR_UNKNOWN_PERIOD: { status: 400, title: 'Unknown period' },
  CUTOFF_ERR_INVALID_TENANT: { status: 400, title: 'Invalid tenant' },
  CUTOFF_ERR_NO_GRADES: { status: 409, title: 'No consolidated grades for the period' },
  CUTOFF_ERR_NOT_FOUND: { status: 404, title: 'Cutoff not found' },
  CUTOFF_ERR_CHECKSUM_MISMATCH: { status: 409, title: 'Cutoff file checksum mismatch' },
});
