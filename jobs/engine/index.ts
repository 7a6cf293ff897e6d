/**
 * SQL engines behind one interface: DuckDB locally, Athena in the cloud, the
 * same model files under `sql/` rendered per engine.
 */
export { DuckDbEngine, type DuckDbEngineOptions } from './duckdb-engine.js';
export {
  athenaRawRelations,
  athenaRawTables,
  duckdbParquetRelation,
  duckdbRawRelations,
  hasParquet,
} from './lake-relations.js';
export type { EngineName, SqlEngine, SqlRow } from './sql-engine.js';
export { engineMacros, loadModel, renderSql, type SqlVars, sqlString } from './sql-template.js';
export {
  AthenaEngine,
  type AthenaEngineOptions,
  athenaErrors,
  defaultAthenaPolling,
  splitStatements,
} from './athena-engine.js';
