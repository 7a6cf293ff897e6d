import type Database from 'better-sqlite3';

export interface GroupWriterStatements {
  insertSeenSql: string;
  insertPendingSql: string;
  tenantIndex: number;
  eventIdIndex: number;
  /** Values per row in the flat group array. */
  columnCount: number;
}

/** A group of rows as one flat array: `columnCount` values per row, row after row. */
export type BufferRowValues = (string | number | null)[];

export function openBufferDatabase(
  driver: typeof Database,
  file: string,
  busyTimeoutMs: number,
): Database.Database;

export function createGroupWriter(
  db: Database.Database,
  statements: GroupWriterStatements,
): (values: BufferRowValues) => ('accepted' | 'duplicate')[];
