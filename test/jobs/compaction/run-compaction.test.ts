import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../jobs/engine/index.js';
import { isCompactedFile } from '../../../jobs/compaction/index.js';
import { stagingModelSql } from '../../../pipelines/index.js';
import {
  behaviourDir,
  behaviourRow,
  compactLake,
  days,
  eventIds,
  folderNames,
  hyparquetRows,
  land,
  landingDirEachTest,
  openDay,
  partitionRows,
  spreadRows,
  tenants,
  treeState,
} from './compaction-fixture.js';

async function stagedRows(lake: string): Promise<Record<string, unknown>[]> {
  const engine = await DuckDbEngine.open({ threads: 1 });
  try {
    return await engine.query(
      `select * from (${stagingModelSql('behaviour', lake)}) order by event_id`,
    );
  } finally {
    await engine.close();
  }
}

describe('runCompaction', () => {
  const landingDir = landingDirEachTest('luca-compaction-');

  it('rewrites each closed partition of many files into one file with the same rows', async () => {
    // Prepare: 600 rows over 2 tenants x 3 days, landed in drains of 30 (20 files a partition).
    const dir = landingDir();
    await land(dir, spreadRows(600), 30);
    const partition = behaviourDir(dir.paths.lake, tenants[0], days[1]);
    const before = await partitionRows(partition);

    // Act
    const summary = await compactLake(dir, { bufferDir: dir.paths.buffer });

    // Assess
    const after = await partitionRows(partition);
    expect(after).toEqual(before);
    expect(eventIds(after)).toEqual(eventIds(before));
    expect(folderNames(partition)).toHaveLength(1);
    expect(isCompactedFile(folderNames(partition)[0] as string)).toBe(true);
    expect(summary).toMatchObject({
      partitions_scanned: 6,
      partitions_compacted: 6,
      partitions_failed: 0,
      files_in: 120,
      files_out: 6,
      rows: 600,
    });
    expect(summary.bytes_after).toBeLessThan(summary.bytes_before);
  });

  it('is read back the same by the staging view and by hyparquet', async () => {
    // Prepare: a retried event landed twice (a copy of one drain's file under another range).
    const dir = landingDir();
    await land(dir, spreadRows(120), 12);
    const partition = behaviourDir(dir.paths.lake, tenants[1], days[0]);
    const [first] = folderNames(partition);
    copyFileSync(
      join(partition, first as string),
      join(partition, 'part-000000099001-000000099012.parquet'),
    );
    const stagedBefore = await stagedRows(dir.paths.lake);
    const rawBefore = await partitionRows(partition);

    // Act
    await compactLake(dir);

    // Assess: raw keeps the copy, staging still shows each event once, hyparquet agrees with DuckDB.
    const [compacted] = folderNames(partition);
    expect(await partitionRows(partition)).toEqual(rawBefore);
    expect(await stagedRows(dir.paths.lake)).toEqual(stagedBefore);
    const viaHyparquet = (await hyparquetRows(join(partition, compacted as string))).map((row) =>
      JSON.stringify(row),
    );
    expect(viaHyparquet.sort()).toEqual(rawBefore);
  });

  it('writes rows sorted by student, time and event id under a name of its inputs', async () => {
    // Prepare
    const dir = landingDir();
    await land(dir, spreadRows(60), 6);
    const partition = behaviourDir(dir.paths.lake, tenants[0], days[2]);
    const inputs = folderNames(partition);

    // Act
    await compactLake(dir);

    // Assess
    const [compacted] = folderNames(partition);
    expect(compacted).toMatch(/^compacted-000000000001-000000000060-[0-9a-f]{16}\.parquet$/);
    const rows = await hyparquetRows(join(partition, compacted as string));
    const keys = rows.map((row) => `${row.student_id} ${row.occurred_at} ${row.event_id}`);
    expect(keys).toEqual([...keys].sort());
    expect(inputs).toHaveLength(10);
  });

  it('leaves partitions that are too recent or hold one file alone', async () => {
    // Prepare: an open day with many files, a closed day with one file.
    const dir = landingDir();
    const recent = Array.from({ length: 40 }, (_, i) => behaviourRow(tenants[0], openDay, i));
    await land(dir, recent, 10);
    await land(dir, [behaviourRow(tenants[1], days[0], 1)], 10);
    const before = treeState(join(dir.paths.lake, 'raw'));

    // Act
    const summary = await compactLake(dir);

    // Assess
    expect(treeState(join(dir.paths.lake, 'raw'))).toEqual(before);
    expect(summary).toMatchObject({ partitions_scanned: 1, partitions_compacted: 0, files_in: 0 });
    expect(summary.closed_through).toBe('2026-11-23');
  });

  it('lists what it would do on a dry run and changes nothing', async () => {
    // Prepare
    const dir = landingDir();
    await land(dir, spreadRows(120), 20);
    const before = treeState(dir.paths.lake);

    // Act
    const summary = await compactLake(dir, { isDryRun: true });

    // Assess
    expect(treeState(dir.paths.lake)).toEqual(before);
    expect(summary.partitions.map((p) => p.status)).toEqual(Array(6).fill('would_compact'));
    expect(summary.partitions[0]).toMatchObject({
      partition: `behaviour/tenant_id=${tenants[0]}/event_date=${days[0]}`,
      files_in: 6,
      rows_in: 20,
    });
    expect(summary).toMatchObject({ is_dry_run: true, files_in: 36, files_out: 0, rows: 120 });
  });

  it('limits the run to one tenant', async () => {
    // Prepare
    const dir = landingDir();
    await land(dir, spreadRows(120), 20);
    const other = treeState(join(dir.paths.lake, 'raw', 'behaviour', `tenant_id=${tenants[1]}`));

    // Act
    const summary = await compactLake(dir, { tenantId: tenants[0] });

    // Assess
    expect(summary.partitions_compacted).toBe(3);
    expect(treeState(join(dir.paths.lake, 'raw', 'behaviour', `tenant_id=${tenants[1]}`))).toEqual(
      other,
    );
  });
});
