import { randomUUID } from 'node:crypto';
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  type ResultSet,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { defineErrorCatalogue, type Logger } from '../../core/index.js';
import type { SqlEngine, SqlRow } from './sql-engine.js';

/** Errors of the Athena engine; codes are stable (see docs/errors.md). */
export const athenaErrors = defineErrorCatalogue('athena', {
  ATHENA_ERR_QUERY_FAILED: { status: 502, title: 'Athena query failed' },
  ATHENA_ERR_QUERY_CANCELLED: { status: 502, title: 'Athena query cancelled' },
  ATHENA_ERR_TIMEOUT: { status: 504, title: 'Athena query timed out' },
});

/** How the engine waits for a query: exponential polling, bounded in total time. */
export interface AthenaPolling {
  initialDelayMs: number;
  maxDelayMs: number;
  /** The query is stopped and the call fails after this long. */
  timeoutMs: number;
}

export const defaultAthenaPolling: AthenaPolling = {
  initialDelayMs: 250,
  maxDelayMs: 5_000,
  timeoutMs: 30 * 60_000,
};

export interface AthenaEngineOptions {
  client: AthenaClient;
  /** The workgroup carries the result location, its encryption and the bytes-scanned limit. */
  workGroup: string;
  database?: string;
  catalog?: string;
  polling?: AthenaPolling;
  logger?: Logger;
  /** Injected for tests; default waits on a timer. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Page size of GetQueryResults (the API's maximum). */
const pageSize = 1000;

const numberTypes = new Set(['tinyint', 'smallint', 'integer', 'int', 'float', 'double', 'real']);

/** Converts one Athena cell (always text) to the JSON-safe value `SqlEngine` promises. */
function cellValue(text: string | undefined, type: string | undefined): unknown {
  if (text === undefined) return null;
  if (type === 'boolean') return text === 'true';
  if (type && numberTypes.has(type)) {
    const value = Number(text);
    return Number.isFinite(value) ? value : text;
  }

  // bigint and decimal stay strings, as the DuckDB engine returns them.
  return text;
}

/**
 * Splits a script into statements on `;` outside quotes and comments; Athena
 * runs one statement per query execution.
 */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < script.length; i += 1) {
    const char = script[i] as string;
    if (quote === null && char === '-' && script[i + 1] === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end;
      current += '\n';
      continue;
    }
    if (quote === null && char === ';') {
      statements.push(current);
      current = '';
      continue;
    }
    if (char === "'" || char === '"') quote = quote === null ? char : quote === char ? null : quote;
    current += char;
  }
  statements.push(current);

  return statements.map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Runs the project's SQL models on Amazon Athena: StartQueryExecution in the
 * configured workgroup, GetQueryExecution polled with exponential backoff until
 * a final state, GetQueryResults paged through. A failed or cancelled query
 * raises an error carrying Athena's reason.
 *
 * @example
 * const engine = new AthenaEngine({ client: new AthenaClient({}), workGroup: 'luca-jobs', database: 'luca_lake' });
 * const rows = await engine.query(loadModel('features/mart_student_features.sql', vars));
 */
export class AthenaEngine implements SqlEngine {
  readonly name = 'athena' as const;
  readonly #options: AthenaEngineOptions;
  readonly #polling: AthenaPolling;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;

  constructor(options: AthenaEngineOptions) {
    this.#options = options;
    this.#polling = options.polling ?? defaultAthenaPolling;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#now = options.now ?? Date.now;
  }

  async run(sql: string): Promise<void> {
    for (const statement of splitStatements(sql)) await this.#execute(statement);
  }

  async query<T extends SqlRow = SqlRow>(sql: string): Promise<T[]> {
    const execution = await this.#execute(sql);
    const id = execution.QueryExecutionId as string;
    const skipHeader = execution.StatementType === 'DML';
    const rows: T[] = [];
    let nextToken: string | undefined;
    let first = true;
    do {
      const page = await this.#options.client.send(
        new GetQueryResultsCommand({
          QueryExecutionId: id,
          MaxResults: pageSize,
          NextToken: nextToken,
        }),
      );
      const resultRows = page.ResultSet?.Rows ?? [];
      rows.push(
        ...(this.#toRows(
          page.ResultSet,
          first && skipHeader ? resultRows.slice(1) : resultRows,
        ) as T[]),
      );
      nextToken = page.NextToken;
      first = false;
    } while (nextToken);

    return rows;
  }

  /** The injected client belongs to the caller; nothing to release here. */
  async close(): Promise<void> {}

  #toRows(resultSet: ResultSet | undefined, rows: NonNullable<ResultSet['Rows']>): SqlRow[] {
    const columns = resultSet?.ResultSetMetadata?.ColumnInfo ?? [];

    return rows.map((row) => {
      const out: SqlRow = {};
      columns.forEach((column, index) => {
        out[column.Name ?? `_col${index}`] = cellValue(
          row.Data?.[index]?.VarCharValue,
          column.Type,
        );
      });
      return out;
    });
  }

  async #execute(sql: string): Promise<QueryExecution> {
    const started = await this.#options.client.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: this.#options.workGroup,
        // Same token on SDK retries: Athena starts the query once.
        ClientRequestToken: randomUUID(),
        QueryExecutionContext: this.#options.database
          ? { Database: this.#options.database, Catalog: this.#options.catalog }
          : undefined,
      }),
    );
    const id = started.QueryExecutionId as string;
    const execution = await this.#waitFor(id);
    this.#options.logger?.info(
      {
        query_execution_id: id,
        bytes_scanned: execution.Statistics?.DataScannedInBytes,
        duration_ms: execution.Statistics?.TotalExecutionTimeInMillis,
      },
      'athena query done',
    );

    return execution;
  }

  async #waitFor(id: string): Promise<QueryExecution> {
    const deadline = this.#now() + this.#polling.timeoutMs;
    let delay = this.#polling.initialDelayMs;
    for (;;) {
      const { QueryExecution: execution } = await this.#options.client.send(
        new GetQueryExecutionCommand({ QueryExecutionId: id }),
      );
      const state = execution?.Status?.State;
      if (state === 'SUCCEEDED' && execution) return execution;
      if (state === 'FAILED' || state === 'CANCELLED') throw this.#failure(id, execution);
      if (this.#now() + delay > deadline) {
        await this.#options.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
        throw athenaErrors.create(
          'ATHENA_ERR_TIMEOUT',
          `query ${id} still ${state ?? 'unknown'} after ${this.#polling.timeoutMs} ms; it was stopped. Narrow the partitions it reads or raise the timeout`,
          { details: { query_execution_id: id } },
        );
      }
      await this.#sleep(delay);
      delay = Math.min(this.#polling.maxDelayMs, delay * 2);
    }
  }

  #failure(id: string, execution: QueryExecution | undefined) {
    const status = execution?.Status;
    const reason =
      status?.AthenaError?.ErrorMessage ?? status?.StateChangeReason ?? 'no reason given';
    const details = {
      query_execution_id: id,
      error_category: status?.AthenaError?.ErrorCategory,
      error_type: status?.AthenaError?.ErrorType,
    };
    if (status?.State === 'CANCELLED') {
      return athenaErrors.create(
        'ATHENA_ERR_QUERY_CANCELLED',
        `query ${id} was cancelled: ${reason}`,
        { details },
      );
    }

    return athenaErrors.create('ATHENA_ERR_QUERY_FAILED', `query ${id} failed: ${reason}`, {
      details,
    });
  }
}
