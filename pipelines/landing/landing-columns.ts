import { pendingColumns, type SequencedEvent } from '../buffer/index.js';

/** Columns copied from the buffer into DuckDB, in appender order. */
export const pendingColumnsWithSeq = [
  'seq',
  ...pendingColumns,
] as const satisfies readonly (keyof SequencedEvent)[];

/** DuckDB type of a staging column: text as it comes from the buffer, cast on COPY. */
export function stagingColumnType(column: (typeof pendingColumnsWithSeq)[number]): string {
  return column === 'seq' || column === 'schema_version' ? 'bigint' : 'varchar';
}

/** DDL of DuckDB's staging table. */
export const stagingColumnDdl = pendingColumnsWithSeq
  .map((column) => `${column} ${stagingColumnType(column)}`)
  .join(', ');
