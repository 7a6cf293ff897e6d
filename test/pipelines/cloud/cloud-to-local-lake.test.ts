import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, Pseudonymizer } from '../../../core/index.js';
import {
  athenaDatabase,
  enrichStreamBatch,
  LandingBufferSink,
  rawTableDefinitions,
} from '../../../pipelines/cloud/index.js';
import { Lander, SqliteLandingBuffer } from '../../../pipelines/index.js';
import { evaluationItemOf, streamRecordOf } from './stream-factories.js';

const scratch = mkdtempSync(join(tmpdir(), 'luca-cloud-local-'));
const quiet = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function parquetFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.parquet'))
    .map((name) => join(dir, name));
}

const athenaTypeOfParquet: Record<string, string> = {
  'INT32/INT_32': 'int',
  'INT64/TIMESTAMP_MICROS': 'timestamp',
  'BYTE_ARRAY/UTF8': 'string',
};

describe('LandingBufferSink', () => {
  it('lands enriched stream records in the local lake where Athena would look for them', async () => {
    // Prepare: a record, a correction and a void of one evaluation, through the cloud mapping.
    const recorded = evaluationItemOf();
    const corrected = evaluationItemOf({
      score: 9,
      version: 2,
      correction_seq: 1,
      last_reason_code: 'regrade',
      event_id: '019a0000-0000-7000-8000-000000000002',
    });
    const records = [
      streamRecordOf('INSERT', { newItem: recorded }),
      streamRecordOf('MODIFY', { newItem: corrected, oldItem: recorded }),
      streamRecordOf('REMOVE', { oldItem: corrected }),
    ];
    const batch = enrichStreamBatch(records, new Pseudonymizer(Buffer.alloc(32, 3)));
    const lakeRoot = join(scratch, 'lake');
    const buffer = new SqliteLandingBuffer({ dir: join(scratch, 'buffer') });

    // Act
    const sent = await new LandingBufferSink(buffer).send(batch.rows);
    const lander = await Lander.open({ buffer, lakeRoot, logger: quiet });
    const summary = await lander.drainAll();
    lander.close();
    buffer.close();

    // Assess: every row landed, under the path the Athena template names.
    expect(sent).toMatchObject({ delivered: 3, failed: [] });
    expect(summary).toMatchObject({ rowsIn: 3, rowsOut: 3 });
    const [file] = parquetFiles(join(lakeRoot, 'raw', 'grade'));
    const grade = rawTableDefinitions({ database: athenaDatabase, lakeBucket: 'b' })[0];
    const templated = (grade?.properties['storage.location.template'] ?? '')
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's projection syntax
      .replace('${tenant_id}', 't-09dpr0001a')
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's projection syntax
      .replace('${event_date}', '2026-10-05');
    expect(`s3://b/${relative(lakeRoot, join(file ?? '', '..'))}/`).toBe(templated);

    // Assess: the file's columns and types are the Athena table's.
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const schema = await connection.runAndReadAll(
      `select name, type, converted_type from parquet_schema('${file}') where name <> 'duckdb_schema'`,
    );
    const types = await connection.runAndReadAll(
      `select event_type from read_parquet('${file}') order by event_type`,
    );
    connection.closeSync();
    instance.closeSync();
    const columns = schema.getRowObjectsJson().map((row) => ({
      name: row.name,
      type: athenaTypeOfParquet[`${row.type}/${row.converted_type}`],
    }));
    expect(columns).toEqual(grade?.columns);
    expect(types.getRowObjectsJson().map((row) => row.event_type)).toEqual([
      'evaluation.corrected',
      'evaluation.recorded',
      'evaluation.voided',
    ]);
  });

  it('hands the whole batch back when the buffer refuses it', async () => {
    // Prepare
    const broken = {
      append: async () => {
        throw new Error('disk full');
      },
    } as unknown as SqliteLandingBuffer;
    const rows = enrichStreamBatch(
      [streamRecordOf('INSERT', { newItem: evaluationItemOf() })],
      new Pseudonymizer(Buffer.alloc(32, 3)),
    ).rows;

    // Act
    const result = await new LandingBufferSink(broken).send(rows);

    // Assess
    expect(result.delivered).toBe(0);
    expect(result.failed).toEqual([
      { record: rows[0], code: 'BufferUnavailable', message: 'disk full', attempts: 1 },
    ]);
  });
});
