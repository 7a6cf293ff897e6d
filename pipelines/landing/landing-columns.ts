import type { SequencedEvent } from '../buffer/index.js';

/** Columns copied from the buffer into DuckDB, in appender order. */
export const pendingColumnsWithSeq = [
  'seq',
  'family',
  'tenant_id',
  'event_date',
  'event_id',
  'event_type',
  'schema_version',
  'occurred_at',
  'received_at',
  'actor_id',
  'actor_role',
  'student_id',
  'trace_id',
  'payload',
] as const satisfies readonly (keyof SequencedEvent)[];

/** DuckDB type of a staging column: text as it comes from the buffer, cast on COPY. */
export function stagingColumnType(column: (typeof pendingColumnsWithSeq)[number]): string {
  return column === 'seq' || column === 'schema_version' ? 'bigint' : 'varchar';
}

/** DDL of DuckDB's staging table. */
export const stagingColumnDdl = pendingColumnsWithSeq
  .map((column) => `${column} ${stagingColumnType(column)}`)
  .join(', ');
