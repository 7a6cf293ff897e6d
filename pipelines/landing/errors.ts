import { defineErrorCatalogue } from '../../core/index.js';

/** Errors of the lander (buffer to lake). */
export const landingErrors = defineErrorCatalogue('landing', {
  LANDING_ERR_WRITE_FAILED: { status: 500, title: 'Could not write lake files' },
  LANDING_ERR_INVALID_OPTION: { status: 400, title: 'Invalid landing option' },
});
