import type Database from 'better-sqlite3';

export interface GroupWriterStatements {
  /** Dedup insert for a lowercase UUID event id (bound as text, stored as 16 bytes). */
  insertSeenUuidSql: string;
  /** Dedup insert for any other event id (stored as text: never equal to a UUID's bytes). */
  insertSeenTextSql: string;
  insertPendingSql: string;
  tenantIndex: number;
  eventIdIndex: number;
  /** Values per row in the flat group array. */
  columnCount: number;
}

/** A group of rows as one flat array: `columnCount` values per row, row after row. */
export type BufferRowValues = (string | number | null)[];

/** A group as one string of values separated by U+0000, and how many values it holds. */
export interface EncodedGroup {
  readonly text: string;
  readonly count: number;
}

export function openBufferDatabase(
  driver: typeof Database,
  file: string,
  busyTimeoutMs: number,
): Database.Database;

export function encodeGroup(values: BufferRowValues): EncodedGroup;

/** Null only for an encoded group whose text does not split back into `count` values. */
export function createGroupWriter(
  db: Database.Database,
  statements: GroupWriterStatements,
): (group: BufferRowValues | EncodedGroup) => ('accepted' | 'duplicate')[] | null;
