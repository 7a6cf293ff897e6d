import { defineErrorCatalogue } from '../../core/index.js';

/** Errors of snapshot publishing (`luca jobs publish`). */
export const publishErrors = defineErrorCatalogue('publish', {
  PUBLISH_ERR_INVALID_TENANT: { status: 400, title: 'Invalid tenant id' },
  PUBLISH_ERR_NO_FEATURES: { status: 404, title: 'No features to publish' },
  PUBLISH_ERR_LOCKED: { status: 409, title: 'Another publish is running' },
  PUBLISH_ERR_INVALID_DOCUMENT: { status: 500, title: 'Snapshot document invalid' },
  PUBLISH_ERR_STORE_UNAVAILABLE: { status: 503, title: 'Snapshot store unavailable' },
});
