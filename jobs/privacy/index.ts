/**
 * Privacy jobs: erasure of one student on request (`luca erase`) and local
 * retention enforcement (`luca jobs retention`). See docs/privacy.md.
 */
export { type PrivacyErrorCode, privacyErrors } from './errors.js';
export { type LakeErasure } from './lake-erase.js';
export { type RedisErasure } from './redis-erase.js';
export { bufferDedupDays, rawFamilyDays, retentionDays } from './retention-rules.js';
export { type RosterErasure } from './roster-erase.js';
export { type ErasureSummary, type RunErasureOptions, runErasure } from './run-erasure.js';
export {
  type ExpiredPartition,
  type RetentionSummary,
  type RunRetentionOptions,
  runRetention,
} from './run-retention.js';
