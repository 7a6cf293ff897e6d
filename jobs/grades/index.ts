/**
 * Centralized grades: per-tenant grading policies (versioned by date), the
 * SQL consolidation and its TypeScript reference, the what-if preview, the
 * `jobs grades` run, and (under `store/`) the roster and evaluations store.
 * See docs/grades.md and docs/policy-reference.md.
 */
export {
  gradeModels,
  runGradeModels,
  duckdbEvaluationsJsonl,
  type ConsolidationInput,
  type ConsolidationTables,
} from './consolidation/run-models.js';
export {
  gradesEngineVars,
  policyRelations,
  type PolicyAssignment,
} from './consolidation/policy-relations.js';
export { periodPartitionDir } from './consolidation/partition-writer.js';
export { gradesErrors } from './errors.js';
export type {
  ConsolidatedGrade,
  EvaluationRow,
  GeneralAverage,
  GradeExplanation,
} from './grade-types.js';
export {
  gradesDatasets,
  type GradesJobOptions,
  type GradesJobSummary,
  runGradesJob,
} from './grades-job.js';
export {
  firstPeriodFrom,
  readPolicyFile,
  type SetPolicySummary,
  setPolicyFromFile,
  showPolicy,
} from './policy/policy-commands.js';
export {
  canonicalJson,
  defaultPolicy,
  type GradingPolicy,
  gradingPolicy,
  policyHash,
  validatePolicy,
} from './policy/policy-schema.js';
export { policyForPeriod, policyInForceOn } from './policy/policy-selection.js';
export { type PolicyStore, SqlitePolicyStore, type StoredPolicy } from './policy/policy-store.js';
export { compareGrades, previewGrades, type PreviewGrade } from './preview/preview.js';
export { readPreviewEvaluations } from './preview/preview-input.js';
export { consolidateSubject, type HashedPolicy } from './reference/calculator.js';
export { consolidateAll, generalAveragesOf } from './reference/consolidate.js';
export * from './store/index.js';
