import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { eventFamilies, rawEventColumns, rawPartitionDir } from '../../../core/index.js';
import {
  athenaDatabase,
  parseRawTableDdl,
  rawTableDefinitions,
  renderRawTableDdl,
} from '../../../pipelines/cloud/index.js';

const vars = { database: athenaDatabase, lakeBucket: 'luca-lake-test' };
const definitions = rawTableDefinitions(vars);
const scratch = mkdtempSync(join(tmpdir(), 'luca-athena-ddl-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Athena type each Parquet column type the lander writes is read as. */
const athenaTypeOfParquet: Record<string, string> = {
  'INT32/INT_32': 'int',
  'INT64/TIMESTAMP_MICROS': 'timestamp',
  'BYTE_ARRAY/UTF8': 'string',
};

describe('raw table DDL', () => {
  it('declares exactly the core raw columns, in order, for every family', () => {
    for (const definition of definitions) {
      expect(definition.columns.map((c) => c.name)).toEqual([...rawEventColumns]);
    }
    expect(definitions.map((d) => d.table)).toEqual(eventFamilies.map((f) => `raw_${f}_events`));
  });

  it('projects the partitions onto the local lake layout exactly', () => {
    for (const [index, family] of eventFamilies.entries()) {
      // Prepare
      const definition = definitions[index];
      const template = definition?.properties['storage.location.template'] ?? '';
      const local = relative(
        '/lake',
        rawPartitionDir('/lake', family, 't-09dpr0001a', '2026-10-05'),
      );

      // Act
      const s3Path = template
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's projection syntax
        .replace('${tenant_id}', 't-09dpr0001a')
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's projection syntax
        .replace('${event_date}', '2026-10-05');

      // Assess
      expect(s3Path).toBe(`s3://luca-lake-test/${local}/`);
      expect(definition?.location).toBe(`s3://luca-lake-test/raw/${family}/`);
      expect(definition?.partitionKeys).toEqual([
        { name: 'tenant_id', type: 'string' },
        { name: 'event_date', type: 'date' },
      ]);
      expect(definition?.properties).toMatchObject({
        'projection.enabled': 'true',
        'projection.tenant_id.type': 'injected',
        'projection.event_date.type': 'date',
        'projection.event_date.format': 'yyyy-MM-dd',
        'projection.event_date.interval.unit': 'DAYS',
      });
    }
  });

  it('types every column as Athena reads the Parquet the local lander writes', async () => {
    // Prepare: the same casts as the lander's COPY (integer, timestamptz, varchar).
    const file = join(scratch, 'row.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`copy (select
        'e' as event_id, 'quiz.answered' as event_type, cast(1 as integer) as schema_version,
        cast('2026-10-05T15:00:00Z' as timestamptz) as occurred_at,
        cast('2026-10-05T15:00:01Z' as timestamptz) as received_at,
        'p_a' as actor_id, 'student' as actor_role, 'p_s' as student_id,
        't' as trace_id, '{}' as payload) to '${file}' (format parquet)`);

    // Act
    const reader = await connection.runAndReadAll(
      `select name, type, converted_type from parquet_schema('${file}') where name <> 'duckdb_schema'`,
    );
    const written = reader.getRowObjectsJson().map((row) => ({
      name: row.name,
      type: athenaTypeOfParquet[`${row.type}/${row.converted_type}`],
    }));
    connection.closeSync();
    instance.closeSync();

    // Assess
    for (const definition of definitions) expect(definition.columns).toEqual(written);
  });

  it('fails to parse a DDL whose shape was broken by hand', () => {
    // Prepare
    const broken = renderRawTableDdl('grade', vars).replace('stored as parquet', 'stored as orc');

    // Act / Assess
    expect(() => parseRawTableDdl(broken)).toThrow('expected shape');
  });
});
