import { defineErrorCatalogue } from './luca-error.js';

/** Errors shared by every area: contracts, tenancy and configuration. */
export const coreErrors = defineErrorCatalogue('core', {
  CORE_ERR_CONFIG_INVALID: { status: 500, title: 'Invalid configuration' },
  CONTRACT_ERR_INVALID_EVENT: { status: 400, title: 'Invalid event' },
  CONTRACT_ERR_UNKNOWN_EVENT_TYPE: { status: 400, title: 'Unknown event type' },
  CONTRACT_ERR_UNSUPPORTED_VERSION: { status: 400, title: 'Unsupported schema version' },
  AUTH_ERR_MISSING_TOKEN: { status: 401, title: 'Missing bearer token' },
  AUTH_ERR_INVALID_TOKEN: { status: 401, title: 'Invalid token' },
  AUTH_ERR_TOKEN_EXPIRED: { status: 401, title: 'Token expired' },
  AUTH_ERR_FORBIDDEN: { status: 403, title: 'Forbidden' },
  TENANCY_ERR_CROSS_TENANT: { status: 403, title: 'Cross-tenant access' },
});
