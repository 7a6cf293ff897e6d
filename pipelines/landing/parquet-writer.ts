import { type DuckDBAppender, type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { eventFamilies, type EventFamily } from '../../core/index.js';
import type { SequencedEvent } from '../buffer/index.js';
import { pendingColumnsWithSeq, stagingColumnDdl } from './landing-columns.js';

function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Writes claimed buffer rows as Hive-partitioned Parquet with DuckDB: one COPY
 * per family, `PARTITION_BY (tenant_id, event_date)` into a staging directory
 * (the publisher then moves each file into the lake). Timestamps are written as
 * `timestamp with time zone` (UTC), partition columns stay out of the files.
 */
export class ParquetWriter {
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection) {
    this.#instance = instance;
    this.#connection = connection;
  }

  static async open(threads = 1): Promise<ParquetWriter> {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
    const connection = await instance.connect();
    await connection.run("set timezone = 'UTC'");
    await connection.run(`create table landing_rows (${stagingColumnDdl})`);

    return new ParquetWriter(instance, connection);
  }

  /**
   * Writes `rows` under `stagingDir/<family>/tenant_id=../event_date=../`.
   * Returns the families written and the row count DuckDB reports for the COPYs.
   */
  async write(
    rows: readonly SequencedEvent[],
    stagingDir: string,
  ): Promise<{ families: EventFamily[]; rowsWritten: number }> {
    await this.#connection.run('delete from landing_rows');
    const appender = await this.#connection.createAppender('landing_rows');
    for (let start = 0; start < rows.length; start += rowsPerSlice) {
      appendRows(appender, rows, start, Math.min(rows.length, start + rowsPerSlice));
      // The lander shares the API's thread in `luca serve`: let requests in between slices.
      await new Promise((resolve) => setImmediate(resolve));
    }
    appender.closeSync();

    const families = eventFamilies.filter((family) => rows.some((row) => row.family === family));
    let rowsWritten = 0;
    for (const family of families) {
      const result = await this.#connection.run(copyStatement(family, `${stagingDir}/${family}`));
      rowsWritten += Number(result.rowsChanged);
    }

    return { families, rowsWritten };
  }

  close(): void {
    this.#connection.closeSync();
    this.#instance.closeSync();
  }
}

/** Rows appended between two yields to the event loop. */
const rowsPerSlice = 2000;

function appendRows(
  appender: DuckDBAppender,
  rows: readonly SequencedEvent[],
  from: number,
  to: number,
): void {
  for (let index = from; index < to; index += 1) {
    const row = rows[index] as SequencedEvent;
    for (const column of pendingColumnsWithSeq) {
      const value = row[column];
      if (value === null) appender.appendNull();
      else if (typeof value === 'number') appender.appendBigInt(BigInt(value));
      else appender.appendVarchar(value);
    }
    appender.endRow();
  }
}

function copyStatement(family: EventFamily, target: string): string {
  return `
    copy (
        select
            event_id,
            event_type,
            cast(schema_version as integer) as schema_version,
            cast(occurred_at as timestamptz) as occurred_at,
            cast(received_at as timestamptz) as received_at,
            actor_id,
            actor_role,
            student_id,
            trace_id,
            payload,
            tenant_id,
            event_date
        from landing_rows
        where family = ${quote(family)}
        order by seq
    ) to ${quote(target)} (
        format parquet,
        compression snappy,
        partition_by (tenant_id, event_date),
        filename_pattern 'part_{i}',
        overwrite_or_ignore true
    )`;
}
