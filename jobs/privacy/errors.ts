import { defineErrorCatalogue } from '../../core/index.js';

/** Errors of the privacy jobs (`luca erase`, `luca jobs retention`). */
export const privacyErrors = defineErrorCatalogue('privacy', {
  PRIVACY_ERR_INVALID_REQUEST: { status: 400, title: 'Invalid erasure or retention request' },
  PRIVACY_ERR_REDIS_UNAVAILABLE: { status: 503, title: 'Redis unavailable during erasure' },
  PRIVACY_ERR_LAKE_REWRITE_FAILED: { status: 500, title: 'A lake file could not be rewritten' },
});

export type PrivacyErrorCode = keyof typeof privacyErrors.catalogue;
