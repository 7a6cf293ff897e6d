import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { SqlEngine, SqlRow } from './sql-engine.js';

export interface DuckDbEngineOptions {
  /** Database file; `:memory:` (the default) keeps nothing after `close`. */
  path?: string;
  /** Worker threads; defaults to DuckDB's choice (the number of cores). */
  threads?: number;
  /** For instance `'4GB'`; bounds memory on big jobs, spilling to `tempDirectory`. */
  memoryLimit?: string;
  tempDirectory?: string;
}

/** The local engine: DuckDB in-process, reading the lake's Parquet directly. */
export class DuckDbEngine implements SqlEngine {
  readonly name = 'duckdb' as const;
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection) {
    this.#instance = instance;
    this.#connection = connection;
  }

  static async open(options: DuckDbEngineOptions = {}): Promise<DuckDbEngine> {
    const settings: Record<string, string> = {};
    if (options.threads) settings.threads = String(options.threads);
    if (options.memoryLimit) settings.memory_limit = options.memoryLimit;
    if (options.tempDirectory) settings.temp_directory = options.tempDirectory;
    const instance = await DuckDBInstance.create(options.path ?? ':memory:', settings);
    const connection = await instance.connect();
    // Timestamps are UTC everywhere; local school time is an explicit offset in the models.
    await connection.run("set timezone = 'UTC'");

    return new DuckDbEngine(instance, connection);
  }

  /** The underlying connection, for appenders and prepared statements. */
  get connection(): DuckDBConnection {
    return this.#connection;
  }

  async run(sql: string): Promise<void> {
    await this.#connection.run(sql);
  }

  async query<T extends SqlRow = SqlRow>(sql: string): Promise<T[]> {
    const reader = await this.#connection.runAndReadAll(sql);

    return reader.getRowObjectsJson() as T[];
  }

  async close(): Promise<void> {
    this.#connection.closeSync();
    this.#instance.closeSync();
  }
}
