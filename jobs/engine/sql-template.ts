import { readFileSync } from 'node:fs';
import { sqlPath } from '../../core/index.js';
import type { EngineName } from './sql-engine.js';

/** Values a model's `{{ name }}` placeholders are rendered with. */
export type SqlVars = Readonly<Record<string, string | number>>;

/**
 * Functions whose name differs between engines, one macro each. A model writes
 * `{{ json_text }}(payload, '$.topic_id')` and gets the right function.
 */
export const engineMacros: Readonly<Record<EngineName, SqlVars>> = {
  duckdb: {
    json_text: 'json_extract_string',
    json_number: 'json_extract_string',
    string_agg: 'string_agg',
  },
  athena: {
    json_text: 'json_extract_scalar',
    json_number: 'json_extract_scalar',
    string_agg: 'array_join',
  },
};

const placeholder = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

/**
 * Replaces every `{{ name }}` in `template` with its value. A placeholder with no
 * value is an error, so a model can never run with a hole in it.
 *
 * @example
 * renderSql('select * from {{ raw_behaviour }}', { raw_behaviour: 'events' });
 */
export function renderSql(template: string, vars: SqlVars): string {
  const missing = new Set<string>();
  const sql = template.replace(placeholder, (_match, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      missing.add(name);
      return '';
    }

    return String(value);
  });
  if (missing.size > 0) {
    throw new Error(`SQL template has no value for: ${[...missing].join(', ')}`);
  }

  return sql;
}

/** Reads `sql/<model>` and renders it. `model` is relative to `sql/`, e.g. `grades/x.sql`. */
export function loadModel(model: string, vars: SqlVars): string {
  return renderSql(readFileSync(sqlPath(model), 'utf8'), vars);
}

/** Quotes a string literal for SQL (both engines use standard single quotes). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
