/** The quarterly sync with the government registry: client, ledger, runner, reconciliation. */
export {
  type ContractRecord,
  maxBatchSize,
  type PreparedBatch,
  planSchoolBatches,
} from './batch-plan.js';
export {
  credentialFor,
  credentialsFile,
  ensureRegistryCredentials,
  loadRegistryCredentials,
  type RegistryCredentials,
  simulatorCredentials,
} from './credentials.js';
export { syncErrors } from './errors.js';
export type {
  AttemptRow,
  BatchCompletion,
  BatchRow,
  BatchState,
  CutoffRegistration,
  DeadLetterKind,
  DeadLetterRow,
  PlannedBatch,
  RecordResultRow,
  SyncLedger,
} from './ledger.js';
export { type HttpOutcome, RegistryHttp } from './registry-http.js';
export { classify, fullJitterDelay, type Verdict } from './retry-policy.js';
export {
  openSqliteLedger,
  type RunSyncOptions,
  runSync,
  type SyncRunSummary,
  withSqliteLedger,
} from './run-sync.js';
export { SqliteSyncLedger } from './sqlite-ledger.js';
export { defaultSyncTuning, resolveTuning, type SyncTuning } from './sync-tuning.js';
export { type Clock, sleep, TokenBucket, type TokenBucketOptions } from './token-bucket.js';
export { type RegistryCredential, TokenProvider } from './token-provider.js';
export { type CutoffState, cutoffStates, type SyncStatus, syncStatus } from './sync-status.js';
export { type CorrectionSink, correctionOf, type RegistryCorrection } from './correction-events.js';
export type { AmendmentRow, ReconciliationOutcome, ReconciliationRow } from './ledger.js';
export { reconciliationOutcomes } from './ledger.js';
export { compareWithRegistry } from './reconcile-compare.js';
export { reconciliationParquetPath } from './reconcile-report.js';
export { type ListedGrade, listRegistry, naturalKey } from './registry-calls.js';
export { type ReconcileOptions, type ReconcileSummary, reconcileCutoff } from './run-reconcile.js';
export { type ResendOptions, type ResendSummary, resendCutoff } from './resend.js';
export { type JourneyStep, recordJourney } from './record-journey.js';
export { DynamoSyncLedger, ensureSyncLedgerTable } from './dynamo-ledger.js';
