import { defineErrorCatalogue } from '../../core/index.js';

/** Errors of the compaction job (`luca jobs compact`). */
export const compactionErrors = defineErrorCatalogue('compaction', {
  COMPACTION_ERR_INVALID_OPTION: { status: 400, title: 'Invalid compaction option' },
  COMPACTION_ERR_LOCKED: { status: 409, title: 'Another compaction holds the lake' },
  COMPACTION_ERR_ROW_COUNT_MISMATCH: { status: 500, title: 'Compacted file row count differs' },
  COMPACTION_ERR_MANIFEST_INVALID: { status: 500, title: 'Compaction manifest not readable' },
});

export type CompactionErrorCode = keyof typeof compactionErrors.catalogue;
