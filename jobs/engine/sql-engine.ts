/**
 * The one interface every job runs SQL through. DuckDB runs it locally over the
 * lake directory; Athena runs the same model files in the cloud. Models never
 * branch on the engine: what differs is rendered from `{{ name }}` placeholders
 * (see `sql-template.ts`).
 */
export type EngineName = 'duckdb' | 'athena';

/** A row as returned by `query`: JSON-safe values (BIGINT and DECIMAL as strings). */
export type SqlRow = Record<string, unknown>;

export interface SqlEngine {
  readonly name: EngineName;
  /** Runs one or more statements, discarding results. */
  run(sql: string): Promise<void>;
  /** Runs a query and returns its rows with JSON-safe values. */
  query<T extends SqlRow = SqlRow>(sql: string): Promise<T[]>;
  /** Releases the engine's resources. */
  close(): Promise<void>;
}
