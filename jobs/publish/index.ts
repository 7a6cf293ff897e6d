/**
 * Snapshot publishing: one precomputed document per student in Redis (profile
 * and current grades with explanations), switched atomically per tenant.
 */
export {
  type CohortMember,
  cohortFeatures,
  cohortsOf,
  type GroupOf,
  minCohortSize,
} from './cohort.js';
export { asOfCutoffInstant } from './document.js';
export { publishErrors } from './errors.js';
export { defaultKeyPrefix, type ProfileKeys, profileKeys } from './keys.js';
export { latestFeaturesDate } from './lake-inputs.js';
export {
  newVersionId,
  type RunPublishOptions,
  runPublish,
  type TenantPublishSummary,
} from './run-publish.js';
export * from './snapshot-schema.js';
export {
  currentVersion,
  defaultLifetimes,
  expireVersion,
  type SnapshotLifetimes,
} from './snapshot-store.js';
export { rosterGroupOf } from './roster-groups.js';
export { readSnapshot } from './read-snapshot.js';
