import { existsSync } from 'node:fs';
import { auditRecords, isUnreadable } from './audit-records.js';
import { type AuditRow, genesisHash, hashRow } from './chain.js';
import { auditErrors } from './errors.js';

/** The outcome of walking the chain. */
export interface AuditVerification {
  readonly ok: boolean;
  readonly records: number;
  readonly headSeq: number;
  /** The last hash: anchor it elsewhere to also detect a cut-off tail. */
  readonly headHash: string;
  /** The first record that does not chain, and why. */
  readonly brokenAt?: { seq: number; reason: string };
}

function checkRow(row: AuditRow, expectedSeq: number, prevHash: string): string | undefined {
  if (row.seq !== expectedSeq) return `expected seq ${expectedSeq}, found ${row.seq}`;
  if (row.prev_hash !== prevHash) return 'prev_hash does not match the previous record';
  const { hash, ...unhashed } = row;
  if (hashRow(unhashed) !== hash) return 'hash does not match the record content';

  return undefined;
}

/**
 * Recomputes every hash of the audit log in order, across its segments. Any
 * altered, inserted or deleted record, or a line that is not a record, breaks
 * the chain there.
 *
 * @example
 * const result = verifyAuditLog(join(paths.state, 'audit'));
 * if (!result.ok) console.error(result.brokenAt);
 */
export function verifyAuditLog(dir: string): AuditVerification {
  if (!existsSync(dir)) {
    throw auditErrors.create('AUDIT_ERR_LOG_MISSING', `No audit log at ${dir}; check --data-dir.`);
  }
  let expectedSeq = 1;
  let prevHash = genesisHash;
  for (const item of auditRecords(dir)) {
    const reason = isUnreadable(item)
      ? `line ${item.line} of ${item.file} is not a record`
      : checkRow(item, expectedSeq, prevHash);
    if (reason) {
      return {
        ok: false,
        records: expectedSeq - 1,
        headSeq: expectedSeq - 1,
        headHash: prevHash,
        brokenAt: { seq: isUnreadable(item) ? expectedSeq : item.seq, reason },
      };
    }
    expectedSeq += 1;
    prevHash = (item as AuditRow).hash;
  }

  return { ok: true, records: expectedSeq - 1, headSeq: expectedSeq - 1, headHash: prevHash };
}
