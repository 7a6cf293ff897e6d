import { pendingColumns, type SequencedEvent } from '../buffer/index.js';

/** Columns of a buffered row as the lander's JSON lines hold them. */
export const pendingColumnsWithSeq = [
  'seq',
  ...pendingColumns,
] as const satisfies readonly (keyof SequencedEvent)[];

/** DuckDB type of a JSON-lines column: text as it comes from the buffer, cast on COPY. */
export function stagingColumnType(column: (typeof pendingColumnsWithSeq)[number]): string {
  return column === 'seq' || column === 'schema_version' ? 'bigint' : 'varchar';
}
