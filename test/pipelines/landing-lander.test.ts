import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetReadObjects } from 'hyparquet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, type DataPaths, rawEventColumns } from '../../core/index.js';
import {
  type BufferedEvent,
  countStagedEvents,
  Lander,
  SqliteLandingBuffer,
} from '../../pipelines/index.js';
import { sampleRow } from '../../bench/ingest/sample-rows.js';
import {
  closeLandingDir,
  crashingBeforeComplete,
  openLandingDir,
  parquetFiles,
} from './landing-fixtures.js';

const logger = createLogger({ level: 'silent' });

async function duckdbRows(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("set timezone = 'UTC'");
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function gradeRow(index: number): BufferedEvent {
  return { ...sampleRow(index), family: 'grade', event_type: 'evaluation.recorded' };
}

describe('Lander', () => {
  let paths: DataPaths;
  let buffer: SqliteLandingBuffer;

  beforeEach(() => {
    ({ paths, buffer } = openLandingDir('luca-landing-'));
  });

  afterEach(() => closeLandingDir({ paths, buffer }));

  async function land(maxRowsPerDrain = 1000) {
    const lander = await Lander.open({ buffer, lakeRoot: paths.lake, logger, maxRowsPerDrain });
    try {
      return await lander.drainAll();
    } finally {
      lander.close();
    }
  }

  it('writes Hive-partitioned Parquet per family, tenant and event date', async () => {
    await buffer.append([sampleRow(0, 2), sampleRow(1, 2), gradeRow(2)]);

    const summary = await land();

    const files = parquetFiles(paths.lake).map((file) => relative(paths.lake, file));
    expect(files).toEqual([
      'raw/behaviour/tenant_id=t-bench-0/event_date=2026-09-01/part-000000000001-000000000003.parquet',
      'raw/behaviour/tenant_id=t-bench-1/event_date=2026-09-02/part-000000000001-000000000003.parquet',
      'raw/grade/tenant_id=t-bench-2/event_date=2026-09-03/part-000000000001-000000000003.parquet',
    ]);
    expect(summary).toMatchObject({ rowsIn: 3, rowsOut: 3, files: 3, partitions: 3, drains: 1 });
    expect(buffer.depth()).toBe(0);
  });

  it('is read back the same by DuckDB with hive_partitioning and by hyparquet', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => sampleRow(i, 3));
    await buffer.append(rows);
    await land(15);
    const glob = join(paths.lake, 'raw', 'behaviour', '*', '*', '*.parquet');

    const viaDuckdb = await duckdbRows(
      `select event_id, tenant_id, cast(event_date as varchar) as event_date, student_id, payload,
              strftime(occurred_at, '%Y-%m-%dT%H:%M:%S.%gZ') as occurred_at
       from read_parquet('${glob}', hive_partitioning = true) order by event_id`,
    );
    const viaHyparquet = [];
    for (const file of parquetFiles(paths.lake)) {
      const buffer = readFileSync(file);
      const arrayBuffer = buffer.buffer.slice(
        buffer.byteOffset,
        buffer.byteOffset + buffer.byteLength,
      );
      const objects = await parquetReadObjects({ file: arrayBuffer });
      viaHyparquet.push(...objects);
    }

    const expected = [...rows].sort((a, b) => a.event_id.localeCompare(b.event_id));
    expect(viaDuckdb).toEqual(
      expected.map((row) => ({
        event_id: row.event_id,
        tenant_id: row.tenant_id,
        event_date: row.event_date,
        student_id: row.student_id,
        payload: row.payload,
        occurred_at: row.occurred_at,
      })),
    );
    expect(Object.keys(viaHyparquet[0] ?? {})).toEqual([...rawEventColumns]);
    expect(viaHyparquet.map((row) => row.event_id).sort()).toEqual(
      expected.map((row) => row.event_id),
    );
    const first = viaHyparquet.find((row) => row.event_id === expected[0]?.event_id);
    expect(first?.payload).toBe(expected[0]?.payload);
    expect(new Date(first?.occurred_at as Date).toISOString()).toBe(expected[0]?.occurred_at);
  });

  it('rewrites the same files when a crash left a claim published but not completed', async () => {
    await buffer.append(Array.from({ length: 10 }, (_, i) => sampleRow(i, 1)));
    const lander = await Lander.open({
      buffer: crashingBeforeComplete(buffer),
      lakeRoot: paths.lake,
      logger,
      maxRowsPerDrain: 6,
    });
    await expect(lander.drainOnce()).rejects.toThrow('killed before complete');
    lander.close();
    const afterCrash = parquetFiles(paths.lake).map((f) => f.split('/').pop());
    buffer.close();
    buffer = new SqliteLandingBuffer({ dir: paths.buffer });
    await buffer.append([sampleRow(10, 1)]);

    const summary = await land(100);
    const counts = await countStagedEvents(paths.lake);

    const names = parquetFiles(paths.lake).map((f) => f.split('/').pop());
    expect(new Set(afterCrash)).toEqual(new Set(['part-000000000001-000000000006.parquet']));
    expect(afterCrash).toHaveLength(6);
    expect(summary.drains).toBe(2);
    expect(names).toHaveLength(11);
    expect(new Set(names)).toEqual(
      new Set(['part-000000000001-000000000006.parquet', 'part-000000000007-000000000011.parquet']),
    );
    expect(counts.behaviour).toEqual({ raw: 11, staged: 11 });
  });

  it('deduplicates by event id in the staging view when raw files hold a copy twice', async () => {
    const row = sampleRow(0, 1);
    await buffer.append([row]);
    await land();
    buffer.pruneDedup(new Date(Date.now() + 2000));
    await buffer.append([{ ...row, received_at: new Date(Date.now() + 1000).toISOString() }]);
    await land();

    const counts = await countStagedEvents(paths.lake);

    expect(counts).toEqual({
      grade: { raw: 0, staged: 0 },
      behaviour: { raw: 2, staged: 1 },
      audit: { raw: 0, staged: 0 },
    });
  });
});
