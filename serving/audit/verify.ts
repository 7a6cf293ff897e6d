import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
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
 * Recomputes every hash of the audit log in order. Any altered, inserted or
 * deleted row breaks the chain at that row.
 *
 * @example
 * const result = verifyAuditLog(join(paths.state, 'audit.db'));
 * if (!result.ok) console.error(result.brokenAt);
 */
export function verifyAuditLog(path: string): AuditVerification {
  if (!existsSync(path)) {
    throw auditErrors.create('AUDIT_ERR_LOG_MISSING', `No audit log at ${path}; check --data-dir.`);
  }
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    let expectedSeq = 1;
    let prevHash = genesisHash;
    const rows = db
      .prepare('select * from audit_records order by seq')
      .iterate() as Iterable<AuditRow>;
    for (const row of rows) {
      const reason = checkRow(row, expectedSeq, prevHash);
      if (reason) {
        return {
          ok: false,
          records: expectedSeq - 1,
          headSeq: expectedSeq - 1,
          headHash: prevHash,
          brokenAt: { seq: row.seq, reason },
        };
      }
      expectedSeq += 1;
      prevHash = row.hash;
    }

    return { ok: true, records: expectedSeq - 1, headSeq: expectedSeq - 1, headHash: prevHash };
  } finally {
    db.close();
  }
}
