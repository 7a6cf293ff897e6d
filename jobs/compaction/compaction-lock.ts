import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { compactionErrors } from './errors.js';

/** `<lake>/.compaction.lock`: hidden from every reader of the lake. */
export const compactionLockFileName = '.compaction.lock';

/**
 * One compaction per lake at a time. The lock is an exclusive SQLite
 * transaction on `<lake>/.compaction.lock`, so it is the kernel's file lock:
 * a compaction killed by SIGKILL or a power cut leaves no stale lock behind,
 * the next run takes it at once (the stale-lock problem ADR 0002 avoided for
 * the lander does not arise). The holder must keep this object referenced
 * until `release`: a collected connection closes and drops the lock.
 */
export class CompactionLock {
  readonly #db: Database.Database;

  private constructor(db: Database.Database) {
    this.#db = db;
  }

  /** Takes the lake's lock or throws `COMPACTION_ERR_LOCKED` at once (no waiting). */
  static acquire(lakeRoot: string): CompactionLock {
    mkdirSync(lakeRoot, { recursive: true });
    const db = new Database(join(lakeRoot, compactionLockFileName), { timeout: 0 });
    try {
      db.exec('begin exclusive');
    } catch (err) {
      db.close();
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      throw compactionErrors.create(
        'COMPACTION_ERR_LOCKED',
        'Another compaction is running on this lake; wait for it to finish and run again.',
        { cause: err },
      );
    }

    return new CompactionLock(db);
  }

  release(): void {
    if (!this.#db.open) return;
    this.#db.exec('rollback');
    this.#db.close();
  }
}
