import { hash } from 'node:crypto';

/** What the read path hands the audit log for one student (or one refused request). */
export interface AuditEntry {
  readonly trace_id: string;
  /** Null only when no verified token named a tenant (401 and the like). */
  readonly tenant_id: string | null;
  /** The caller's pseudonym (never the raw id). */
  readonly actor_id: string | null;
  readonly actor_role: string | null;
  readonly action: 'student.session_read' | 'student.session_read_batch';
  /** The student's pseudonym, when the request named a valid id. */
  readonly student_id: string | null;
  readonly outcome: 'allowed' | 'denied' | 'not_found' | 'error';
  readonly http_status: number;
  /** The parts returned (field names, never values). */
  readonly fields: readonly string[];
  readonly error_code: string | null;
}

/** One stored, chained record. */
export interface AuditRecord extends AuditEntry {
  readonly seq: number;
  readonly recorded_at: string;
  readonly prev_hash: string;
  readonly hash: string;
}

/** The `prev_hash` of the first record. */
export const genesisHash = '0'.repeat(64);

/** The columns of a record in the order they are hashed and stored. */
export const auditColumns = [
  'seq',
  'recorded_at',
  'trace_id',
  'tenant_id',
  'actor_id',
  'actor_role',
  'action',
  'student_id',
  'outcome',
  'http_status',
  'fields',
  'error_code',
  'prev_hash',
] as const;

/** A stored row: like a record but with `fields` as its JSON text. */
export type AuditRow = Omit<AuditRecord, 'fields'> & { fields: string };

/**
 * The hash of a row: SHA-256 over the JSON array of every column but `hash`, in
 * `auditColumns` order. Because `prev_hash` is inside, changing, inserting or
 * removing any earlier row changes every later hash.
 */
export function hashRow(row: Omit<AuditRow, 'hash'>): string {
  const values = auditColumns.map((column) => row[column]);

  // One-shot `hash` is 2-3 µs cheaper per record than createHash().update().digest().
  return hash('sha256', JSON.stringify(values), 'hex');
}

/** Chains an entry after the given head, returning the row to store. */
export function chainEntry(
  entry: AuditEntry,
  head: { seq: number; hash: string },
  recordedAt: string,
): AuditRow {
  // Built field by field (no spreads): this runs once per audited read.
  const row = {
    seq: head.seq + 1,
    recorded_at: recordedAt,
    trace_id: entry.trace_id,
    tenant_id: entry.tenant_id,
    actor_id: entry.actor_id,
    actor_role: entry.actor_role,
    action: entry.action,
    student_id: entry.student_id,
    outcome: entry.outcome,
    http_status: entry.http_status,
    fields: JSON.stringify(entry.fields),
    error_code: entry.error_code,
    prev_hash: head.hash,
    hash: '',
  };
  row.hash = hashRow(row);

  return row;
}
