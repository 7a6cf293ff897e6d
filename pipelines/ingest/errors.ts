import { defineErrorCatalogue } from '../../core/index.js';

/**
 * Errors of the ingest path: the `POST /v1/events` request as a whole and the
 * per-event rejections the answer lists. Codes are stable; see docs/errors.md.
 */
export const ingestErrors = defineErrorCatalogue('ingest', {
  INGEST_ERR_INVALID_BATCH: { status: 400, title: 'Invalid batch' },
  INGEST_ERR_BATCH_TOO_LARGE: { status: 413, title: 'Batch too large' },
  INGEST_ERR_ALL_REJECTED: { status: 400, title: 'Every event was rejected' },
  INGEST_ERR_ROLE_NOT_ALLOWED: { status: 403, title: 'Role may not post events' },
  INGEST_ERR_STUDENT_MISMATCH: { status: 403, title: 'Event is about another student' },
  INGEST_ERR_EVENT_TYPE_NOT_ALLOWED: { status: 403, title: 'Event type not allowed for role' },
  INGEST_ERR_STUDENT_ERASED: { status: 410, title: 'Student was erased on request' },
  INGEST_ERR_BACKPRESSURE: { status: 429, title: 'Landing buffer is full' },
  BUFFER_ERR_UNAVAILABLE: { status: 503, title: 'Landing buffer unavailable' },
});

/** Per-event rejection codes the ingest answer may carry, besides the contract codes. */
export type IngestRejectionCode =
  | 'CONTRACT_ERR_INVALID_EVENT'
  | 'CONTRACT_ERR_UNKNOWN_EVENT_TYPE'
  | 'CONTRACT_ERR_UNSUPPORTED_VERSION'
  | 'TENANCY_ERR_CROSS_TENANT'
  | 'INGEST_ERR_STUDENT_MISMATCH'
  | 'INGEST_ERR_EVENT_TYPE_NOT_ALLOWED'
  | 'INGEST_ERR_STUDENT_ERASED';
