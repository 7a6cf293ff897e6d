/**
 * The roster and evaluations store of the grade system: one interface, an
 * embedded SQLite implementation (with an outbox) and a DynamoDB single-table
 * implementation (with Streams). See docs/grades-store.md.
 */
export { BaseGradesStore } from './base-store.js';
export { ensureGradesTable, keys as dynamoKeys } from './dynamo-keys.js';
export { DynamoGradesStore, type DynamoGradesStoreOptions } from './dynamo-store.js';
export { type GradesStoreErrorCode, gradesStoreErrors } from './errors.js';
export { eventsOfChange } from './grade-events.js';
export {
  type ChangeReasonCode,
  type CorrectInput,
  correctInput,
  type EvaluationImportLine,
  evaluationImportLine,
  type RecordInput,
  recordInput,
  type VoidInput,
  voidInput,
} from './inputs.js';
export {
  assertNoRejections,
  importEvaluationsFile,
  importRosterFile,
  readLinesSync,
} from './jsonl-files.js';
export {
  evaluationAt,
  type LifecycleClock,
  maxChangesPerEvaluation,
  systemClock,
} from './lifecycle.js';
export { gradesStorePath, openLocalGradesStore } from './open-store.js';
export {
  type EventSink,
  OutboxRelay,
  type OutboxRelayOptions,
  type RelaySummary,
  type SinkResult,
} from './outbox-relay.js';
export {
  curpPattern,
  parseRosterLine,
  publicRosterView,
  type RosterKind,
  type RosterRecord,
  rosterKinds,
  type StudentRecord,
} from './roster.js';
export {
  type EvaluationSnapshotRow,
  evaluationsSnapshotDataset,
  exportEvaluationsSnapshot,
  type SnapshotSummary,
  snapshotRow,
} from './snapshot-export.js';
export { type OutboxRow, type OutboxStatus, SqliteOutbox } from './sqlite-outbox.js';
export { SqliteGradesStore, type SqliteGradesStoreOptions } from './sqlite-store.js';
export type {
  ChangeContext,
  ChangeResult,
  EvaluationImportSummary,
  EvaluationItem,
  EvaluationStatus,
  GradesStore,
  HistoryEntry,
  ImportProgress,
  RosterImportSummary,
} from './types.js';
