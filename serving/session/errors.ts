import { defineErrorCatalogue } from '../../core/index.js';

/** Errors of the session read API (`/v1/students/...`). Codes are never reused. */
export const sessionErrors = defineErrorCatalogue('session', {
  SESSION_ERR_INVALID_STUDENT_ID: { status: 400, title: 'Invalid student id' },
  SESSION_ERR_INVALID_BATCH: { status: 400, title: 'Invalid batch request' },
  SESSION_ERR_STUDENT_NOT_FOUND: { status: 404, title: 'Student not found' },
  SESSION_ERR_ROLE_CANNOT_READ: { status: 403, title: 'Role cannot read student sessions' },
  SESSION_ERR_STORE_UNAVAILABLE: { status: 503, title: 'Snapshot store unavailable' },
  SESSION_ERR_SNAPSHOT_CORRUPT: { status: 500, title: 'Snapshot document unreadable' },
  SESSION_ERR_RATE_LIMITED: { status: 429, title: 'Tenant rate limit exceeded' },
});
