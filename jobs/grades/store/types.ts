import type { IncomingEnvelope, Role } from '../../../core/index.js';
import type {
  ChangeReasonCode,
  CorrectInput,
  EvaluationImportLine,
  RecordInput,
  VoidInput,
} from './inputs.js';
import type { RosterKind, RosterRecord, StudentRecord } from './roster.js';

export const evaluationStatuses = ['active', 'voided'] as const;
export type EvaluationStatus = (typeof evaluationStatuses)[number];

/** One step of an evaluation's life, kept forever in its history. */
export interface HistoryEntry {
  change: 'recorded' | 'corrected' | 'voided';
  /** The evaluation's version right after this change (1 for `recorded`). */
  version: number;
  correction_seq: number;
  score: number;
  max_score: number;
  is_missing: boolean;
  reason_code: ChangeReasonCode | null;
  /** Free text; lives only in the store, never in events or the lake. */
  reason: string | null;
  is_after_close: boolean;
  at: string;
  by_id: string;
  by_role: Role;
  event_id: string;
  /** Id of the `audit.recorded` event of an after-close change, else null. */
  audit_event_id: string | null;
  trace_id: string;
  idempotency_key: string | null;
  /** SHA-256 of the request that made this change, to answer retries. */
  request_hash: string;
}

/**
 * An evaluation as both implementations store it (the DynamoDB item adds `PK`,
 * `SK` and `entity`). The top-level fields are the current state; `history`
 * holds every change in order.
 */
export interface EvaluationItem {
  tenant_id: string;
  student_id: string;
  evaluation_id: string;
  group_id: string;
  subject_code: string;
  period_id: string;
  category: string;
  score: number;
  max_score: number;
  is_missing: boolean;
  is_extra_credit: boolean;
  status: EvaluationStatus;
  version: number;
  correction_seq: number;
  last_reason_code: ChangeReasonCode | null;
  is_after_close: boolean;
  recorded_at: string;
  updated_at: string;
  updated_by_id: string;
  updated_by_role: Role;
  trace_id: string;
  event_id: string;
  history: HistoryEntry[];
}

/** Who makes a change and how to recognise a retry of it. */
export interface ChangeContext {
  actor: { id: string; role: Role };
  traceId?: string;
  /** The `Idempotency-Key` header: the same key and body give the same answer. */
  idempotencyKey?: string;
  /** A fixed event id for the change (bulk imports derive one from the evaluation id). */
  eventId?: string;
}

/** What a change returns: the evaluation as of that change, and the events it emitted. */
export interface ChangeResult {
  evaluation: EvaluationItem;
  /** True when this request repeated an earlier one and nothing was written. */
  replayed: boolean;
  /** The grade (and audit) events of the change; empty on a replay. */
  events: IncomingEnvelope[];
}

export interface RosterImportSummary {
  lines: number;
  written: number;
  by_kind: Partial<Record<RosterKind, number>>;
  rejected: { line: number; code: string; message: string }[];
}

export interface EvaluationImportSummary {
  lines: number;
  recorded: number;
  replayed: number;
  rejected: { line: number; code: string; message: string }[];
  duration_ms: number;
}

/** Progress callback of long imports: lines done so far. */
export type ImportProgress = (done: number) => void;

/**
 * The roster and evaluations store: one interface, two implementations
 * (embedded SQLite for one machine, DynamoDB single-table in the cloud). Methods
 * marked PII return names or CURPs: call them only where the data must leave
 * the store (the registry cutoff) and never log their results.
 */
export interface GradesStore {
  readonly kind: 'sqlite' | 'dynamodb';

  /** Writes roster records (upsert by tenant, kind and id). */
  putRoster(records: readonly RosterRecord[]): Promise<number>;
  /** One roster record, PII included. */
  getRoster(tenantId: string, kind: RosterKind, id: string): Promise<RosterRecord | undefined>;
  /** Every roster record of a tenant (or of all tenants), PII included. */
  listRoster(tenantId?: string): AsyncIterable<RosterRecord>;
  listTenants(): Promise<string[]>;
  /** PII: the students of a tenant with group and CURP, ordered by id. */
  listStudentsWithCurp(tenantId: string): Promise<StudentRecord[]>;
  /** The student's group, for the serving ACL; undefined when not enrolled. */
  groupOfStudent(tenantId: string, studentId: string): Promise<string | undefined>;
  groupsOfTeacher(tenantId: string, teacherId: string): Promise<string[]>;
  childrenOfGuardian(tenantId: string, guardianId: string): Promise<string[]>;
  /** Sets a student's CURP after a fix (the registry sync resends afterwards). */
  updateStudentCurp(tenantId: string, studentId: string, curp: string): Promise<void>;
  /** Deletes one roster record (erasure on request); false when it was not there. */
  deleteRoster(tenantId: string, kind: RosterKind, id: string): Promise<boolean>;

  recordEvaluation(input: RecordInput, context: ChangeContext): Promise<ChangeResult>;
  correctEvaluation(input: CorrectInput, context: ChangeContext): Promise<ChangeResult>;
  voidEvaluation(input: VoidInput, context: ChangeContext): Promise<ChangeResult>;
  getEvaluation(tenantId: string, evaluationId: string): Promise<EvaluationItem | undefined>;
  /** Every evaluation of a tenant, current state with history. */
  listEvaluations(tenantId: string): AsyncIterable<EvaluationItem>;
  /** Bulk record (seed, migration). Close rules use each line's `recorded_at`. */
  importEvaluations(
    lines: Iterable<{ line: number; value: EvaluationImportLine }>,
    onProgress?: ImportProgress,
  ): Promise<EvaluationImportSummary>;

  close(): Promise<void>;
}
