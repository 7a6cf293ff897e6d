import { defineErrorCatalogue } from '../../core/index.js';

/** Errors of the batch features job (`luca jobs features`). */
export const featuresErrors = defineErrorCatalogue('features', {
  FEATURES_ERR_INVALID_AS_OF: { status: 400, title: 'Invalid as-of date' },
  FEATURES_ERR_INVALID_TENANT: { status: 400, title: 'Invalid tenant id' },
  FEATURES_ERR_STAGING_MODEL_MISSING: { status: 500, title: 'Staging model missing' },
  FEATURES_ERR_MODEL_FAILED: { status: 500, title: 'Feature model failed' },
});
