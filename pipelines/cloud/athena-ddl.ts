import { readFileSync } from 'node:fs';
import { type EventFamily, eventFamilies, sqlPath } from '../../core/index.js';

/** The Glue database the raw tables live in (the engine's `athenaRawTables` use it). */
export const athenaDatabase = 'luca_lake';

/** Glue table name of a raw family. */
export function rawTableName(family: EventFamily): string {
  return `raw_${family}_events`;
}

export interface AthenaColumn {
  name: string;
  type: string;
}

/** What a raw table's DDL declares, parsed (the CDK Glue tables are built from it). */
export interface RawTableDefinition {
  database: string;
  table: string;
  columns: AthenaColumn[];
  partitionKeys: AthenaColumn[];
  location: string;
  properties: Record<string, string>;
}

export interface RawDdlVars {
  database: string;
  lakeBucket: string;
}

/** Reads `sql/athena/raw_<family>_events.sql` and fills its placeholders. */
export function renderRawTableDdl(family: EventFamily, vars: RawDdlVars): string {
  const template = readFileSync(sqlPath('athena', `${rawTableName(family)}.sql`), 'utf8');

  return template
    .replaceAll('{{ database }}', vars.database)
    .replaceAll('{{ lake_bucket }}', vars.lakeBucket);
}

function parseColumns(list: string): AthenaColumn[] {
  return list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const [name = '', type = ''] = part.split(/\s+/);
      return { name, type };
    });
}

function parseProperties(list: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const match of list.matchAll(/'([^']+)'\s*=\s*'([^']*)'/g)) {
    properties[match[1] as string] = match[2] as string;
  }

  return properties;
}

const ddlShape =
  /create external table if not exists (\S+)\.(\S+) \(([^()]*)\)\s*partitioned by \(([^()]*)\)\s*stored as parquet\s*location '([^']+)'\s*tblproperties \(([\s\S]*)\)\s*;?\s*$/;

/**
 * Parses one rendered raw-table DDL into its parts. Only the shape the files in
 * `sql/athena/` use is understood; anything else throws, so a hand edit that
 * breaks the shape fails the layout test instead of deploying silently.
 */
export function parseRawTableDdl(sql: string): RawTableDefinition {
  const body = sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .trim();
  const match = ddlShape.exec(body);
  if (!match) throw new Error('raw table DDL does not have the expected shape');

  return {
    database: match[1] as string,
    table: match[2] as string,
    columns: parseColumns(match[3] as string),
    partitionKeys: parseColumns(match[4] as string),
    location: match[5] as string,
    properties: parseProperties(match[6] as string),
  };
}

/** Every raw table, rendered and parsed. */
export function rawTableDefinitions(vars: RawDdlVars): RawTableDefinition[] {
  return eventFamilies.map((family) => parseRawTableDdl(renderRawTableDdl(family, vars)));
}
