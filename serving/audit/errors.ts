import { defineErrorCatalogue } from '../../core/index.js';

/** Errors of the read audit log. */
export const auditErrors = defineErrorCatalogue('audit', {
  AUDIT_ERR_UNAVAILABLE: { status: 503, title: 'Audit log unavailable' },
  AUDIT_ERR_CHAIN_BROKEN: { status: 500, title: 'Audit hash chain broken' },
  AUDIT_ERR_LOG_MISSING: { status: 500, title: 'Audit log not found' },
  AUDIT_ERR_SEGMENT_CORRUPT: { status: 500, title: 'Audit segment corrupt' },
});
