import type Database from 'better-sqlite3';

export interface GroupWriterStatements {
  insertSeenSql: string;
  insertPendingSql: string;
  tenantIndex: number;
  eventIdIndex: number;
}

export type BufferRowValues = (string | number | null)[];

export function openBufferDatabase(
  driver: typeof Database,
  file: string,
  busyTimeoutMs: number,
): Database.Database;

export function createGroupWriter(
  db: Database.Database,
  statements: GroupWriterStatements,
): (rows: readonly BufferRowValues[]) => ('accepted' | 'duplicate')[];
