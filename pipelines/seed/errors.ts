import { defineErrorCatalogue } from '../../core/index.js';

/** Errors of the sample-data generator (`luca seed`, `runSeed`). See docs/errors.md. */
export const seedErrors = defineErrorCatalogue('seed', {
  SEED_ERR_INVALID_OPTION: { status: 400, title: 'Invalid seed option' },
  SEED_ERR_INGEST_REFUSED: { status: 502, title: 'Ingest refused a seed batch' },
  SEED_ERR_INGEST_UNAVAILABLE: { status: 503, title: 'Ingest stayed unavailable' },
  SEED_ERR_OUTPUT_FAILED: { status: 500, title: 'Cannot write seed output' },
});
