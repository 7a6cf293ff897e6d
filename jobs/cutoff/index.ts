/** The quarterly cutoff: frozen, checksummed record files per school and period. */
export {
  type BuiltRecords,
  buildRecords,
  type CutoffRecord,
  type LineageRow,
  recordIdOf,
  reportableGrade,
  type UnsendableRow,
  unsendableReasons,
} from './build-records.js';
export {
  type CutoffDiff,
  type CutoffFile,
  type CutoffManifest,
  cutoffDir,
  cutoffIdOf,
  parseCutoffId,
  type PolicyUse,
} from './cutoff-manifest.js';
export {
  type FrozenCutoff,
  listManifests,
  listVersions,
  locateCutoff,
  readCutoff,
  readJsonLines,
  readManifest,
  sha256Hex,
} from './cutoff-store.js';
export { type CreateCutoffOptions, createCutoff } from './create-cutoff.js';
export { cutoffErrors } from './errors.js';
export {
  type ConsolidatedGradeRow,
  type ConsolidatedGradesSource,
  type CutoffRosterSource,
  type CutoffStudent,
  inMemoryGrades,
  inMemoryRoster,
  jsonlRoster,
  lakeConsolidatedGrades,
  studentStoreRoster,
} from './sources.js';
