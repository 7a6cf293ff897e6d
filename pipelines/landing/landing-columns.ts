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

/** DDL of DuckDB's staging table: text as it comes from the buffer, cast on COPY. */
export const stagingColumnDdl = pendingColumnsWithSeq
  .map(
    (column) =>
      `${column} ${column === 'seq' || column === 'schema_version' ? 'bigint' : 'varchar'}`,
  )
  .join(', ');
