import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type AuditRow, auditColumns } from './chain.js';
import { listSegments, segmentName, syncDirectory } from './segment-files.js';

/**
 * Copies the records of a SQLite audit log of the earlier format
 * (`state/audit.db`, ADR 0037) into the first segment of `dir`, hashes
 * unchanged (they were computed over the same JSON array), then renames the
 * database to `audit.db.imported`. Does nothing when there is no database or
 * `dir` already holds a segment. The segment is written under a temporary
 * name and renamed once synced, so a crash mid-import leaves no half segment.
 */
export function importLegacyDatabase(database: string, dir: string): number {
  if (!existsSync(database) || listSegments(dir).length > 0) return 0;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Read-write on purpose: closing the last connection checkpoints and removes its WAL.
  const db = new Database(database, { fileMustExist: true });
  const temp = join(dir, `${segmentName(1)}.importing`);
  const fd = openSync(temp, 'w', 0o600);
  let rows = 0;
  try {
    const select = db.prepare('select * from audit_records order by seq');
    for (const row of select.iterate() as Iterable<AuditRow>) {
      const values = [...auditColumns.map((column) => row[column]), row.hash];
      writeSync(fd, `${JSON.stringify(values)}\n`);
      rows += 1;
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
    db.close();
  }
  renameSync(temp, join(dir, segmentName(1)));
  syncDirectory(dir);
  renameSync(database, `${database}.imported`);

  return rows;
}
