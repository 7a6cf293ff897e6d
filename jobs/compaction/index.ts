/**
 * Compaction of the raw zone (`luca jobs compact`): every closed
 * (family, tenant, day) partition's small files rewritten into one sorted
 * zstd Parquet file with exactly the same rows, crash-safe and idempotent.
 * See docs/adr/0096-raw-partition-compaction.md and docs/lake-layout.md.
 */
export type {
  AfterStep,
  CompactionStep,
  PartitionOutcome,
  PartitionStatus,
} from './compact-partition.js';
export { CompactionLock, compactionLockFileName } from './compaction-lock.js';
export {
  type CompactionOptionValues,
  compactionDefaults,
  compactionSettings,
} from './compaction-options.js';
export { type CompactionErrorCode, compactionErrors } from './errors.js';
export {
  compactedFileName,
  isCompactedFile,
  manifestFileName,
  tempFileName,
} from './file-names.js';
export { type CompactionManifest, type Recovery, readManifest } from './manifest.js';
export { compactedSortKey } from './partition-sql.js';
export type { SkipReason } from './relanded-files.js';
export {
  type CompactionSummary,
  type RunCompactionOptions,
  runCompaction,
} from './run-compaction.js';
