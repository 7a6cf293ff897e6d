import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { lakeZones } from '../contracts/lake-layout.js';

/**
 * The erasure register: one JSON line per erased student, per tenant, under
 * `<lake>/control/erasures/tenant_id=<t>/erasures.jsonl`. It holds only the
 * student's pseudonym, the time and the audit event id, so it is no more
 * personal than the audit trail it mirrors. Jobs that rebuild lake data from a
 * store that keeps the school record (the evaluations snapshot) consult it, so
 * an erased student does not come back into `curated/` on the next export;
 * the ingest service and the lander consult it (through
 * `ErasureRegisterCache`) so late events of the student are refused or
 * dropped (ADR 0092).
 */
export interface ErasureEntry {
  student_id: string;
  erased_at: string;
  audit_event_id: string;
}

/** `<lake>/control/erasures`: one `tenant_id=<t>` folder per tenant with an erasure. */
export function erasureRegisterRoot(lakeRoot: string): string {
  return join(lakeRoot, lakeZones.control, 'erasures');
}

export function erasureRegisterFile(lakeRoot: string, tenantId: string): string {
  return join(erasureRegisterRoot(lakeRoot), `tenant_id=${tenantId}`, 'erasures.jsonl');
}

/** The pseudonyms erased in one tenant (empty when nothing was erased). */
export function erasedStudents(lakeRoot: string, tenantId: string): Set<string> {
  const file = erasureRegisterFile(lakeRoot, tenantId);
  if (!existsSync(file)) return new Set();
  const lines = readFileSync(file, 'utf8').split('\n');

  // A torn last line (crash while appending) is ignored: the erasure re-runs it.
  return new Set(
    lines.flatMap((line) => {
      try {
        const entry = JSON.parse(line) as Partial<ErasureEntry>;

        return typeof entry.student_id === 'string' ? [entry.student_id] : [];
      } catch {
        return [];
      }
    }),
  );
}

/**
 * Appends an entry and fsyncs it; a pseudonym already registered is not added
 * twice. Returns true when the entry was written.
 */
export function registerErasure(lakeRoot: string, tenantId: string, entry: ErasureEntry): boolean {
  if (erasedStudents(lakeRoot, tenantId).has(entry.student_id)) return false;
  const file = erasureRegisterFile(lakeRoot, tenantId);
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a');
  try {
    // A leading newline closes a torn line left by an earlier crash.
    writeSync(fd, `\n${JSON.stringify(entry)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }

  return true;
}
