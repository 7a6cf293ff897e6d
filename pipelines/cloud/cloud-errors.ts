import { defineErrorCatalogue } from '../../core/index.js';

/**
 * Errors of the cloud path: the Pipes enrichment, the Firehose and EventBridge
 * sinks. Codes are stable and never reused (see docs/errors.md).
 */
export const cloudErrors = defineErrorCatalogue('cloud', {
  CLOUD_ERR_UNMAPPABLE_RECORDS: { status: 500, title: 'Stream records could not be mapped' },
  CLOUD_ERR_SECRET_UNAVAILABLE: { status: 503, title: 'Pseudonym key unavailable' },
  CLOUD_ERR_SINK_CONFIG: { status: 500, title: 'Invalid sink configuration' },
});
