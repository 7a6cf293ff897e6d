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

/** One chained record as the line the log stores, with its sequence number and hash. */
export interface ChainedLine {
  readonly seq: number;
  readonly hash: string;
  /** `[...values in auditColumns order, hash]` as JSON, ending in a newline. */
  readonly line: string;
}

/**
 * Chains an entry after the given head and renders its stored line. The text
 * hashed is the JSON array of the columns; the line is that same array with
 * the hash appended, so it is built without a second serialisation.
 */
export function chainLine(
  entry: AuditEntry,
  head: { seq: number; hash: string },
  recordedAt: string,
): ChainedLine {
  const seq = head.seq + 1;
  const hashed = JSON.stringify([
    seq,
    recordedAt,
    entry.trace_id,
    entry.tenant_id,
    entry.actor_id,
    entry.actor_role,
    entry.action,
    entry.student_id,
    entry.outcome,
    entry.http_status,
    JSON.stringify(entry.fields),
    entry.error_code,
    head.hash,
  ]);
  // One-shot `hash` is 2-3 µs cheaper per record than createHash().update().digest().
  const digest = hash('sha256', hashed, 'hex');

  return { seq, hash: digest, line: `${hashed.slice(0, -1)},"${digest}"]\n` };
}

/**
 * Reads one stored line back as a row, or undefined when it is not a whole
 * record (a torn write). The row's own hash is not checked here.
 */
export function rowOfLine(line: string): AuditRow | undefined {
  let values: unknown;
  try {
    values = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!Array.isArray(values) || values.length !== auditColumns.length + 1) return undefined;
  const row: Record<string, unknown> = {};
  auditColumns.forEach((column, index) => {
    row[column] = values[index];
  });
  row.hash = values[auditColumns.length];
  if (typeof row.seq !== 'number' || typeof row.hash !== 'string') return undefined;

  return row as unknown as AuditRow;
}

/** True when the row's hash is the hash of its own content. */
export function isSelfConsistent(row: AuditRow): boolean {
  const { hash: stored, ...unhashed } = row;

  return hashRow(unhashed) === stored;
}
