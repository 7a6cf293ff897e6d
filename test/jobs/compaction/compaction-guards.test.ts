import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, registerErasure } from '../../../core/index.js';
import { CompactionLock, runCompaction } from '../../../jobs/compaction/index.js';
import { DuckDbEngine, sqlString } from '../../../jobs/engine/index.js';
import { Lander } from '../../../pipelines/index.js';
import type { LandingDir } from '../../pipelines/landing-fixtures.js';
import { crashingBeforeComplete } from '../../pipelines/landing-fixtures.js';
import {
  asOf,
  behaviourDir,
  behaviourRow,
  capturingLogger,
  days,
  folderNames,
  land,
  landingDirEachTest,
  landOnePartition,
  onePartition,
  partitionRows,
  spreadRows,
  tenants,
  treeState,
} from './compaction-fixture.js';

/** Lands rows in one drain that publishes its files and dies before completing its claim. */
async function landWithoutCompleting(dir: LandingDir, rows: ReturnType<typeof spreadRows>) {
  await dir.buffer.append(rows);
  const lander = await Lander.open({
    buffer: crashingBeforeComplete(dir.buffer),
    lakeRoot: dir.paths.lake,
    logger: createLogger({ level: 'silent' }),
    maxRowsPerDrain: rows.length,
  });
  await expect(lander.drainOnce()).rejects.toThrow('killed before complete');
  lander.close();
}

describe('runCompaction beside the lander and the erasure', () => {
  const landingDir = landingDirEachTest('luca-compaction-guards-');

  it('deletes a file the lander publishes again for a range already compacted', async () => {
    // Prepare: a copy of one landed file put back after compaction, as a second lander would.
    const dir = landingDir();
    const partition = await landOnePartition(dir, 100, 10);
    const before = await partitionRows(partition);
    const [relanded] = folderNames(partition);
    const saved = join(dir.paths.root, 'saved.parquet');
    copyFileSync(join(partition, relanded as string), saved);
    await runCompaction({ lakeRoot: dir.paths.lake, asOf });
    copyFileSync(saved, join(partition, relanded as string));

    // Act
    const rerun = await runCompaction({ lakeRoot: dir.paths.lake, asOf });

    // Assess
    expect(rerun.partitions[0]).toMatchObject({ status: 'unchanged', files_relanded: 1 });
    expect(folderNames(partition)).toHaveLength(1);
    expect(await partitionRows(partition)).toEqual(before);
  });

  it('keeps a re-landed file that holds rows the compacted file lacks', async () => {
    // Prepare: an old range's name holding rows that are not in the compacted file.
    const dir = landingDir();
    const partition = await landOnePartition(dir, 100, 10);
    const [relanded] = folderNames(partition);
    const saved = join(dir.paths.root, 'saved.parquet');
    copyFileSync(join(partition, relanded as string), saved);
    await runCompaction({ lakeRoot: dir.paths.lake, asOf });
    const engine = await DuckDbEngine.open({ threads: 1 });
    await engine.run(
      `copy (select * replace (event_id || '-other' as event_id) from read_parquet(${sqlString(saved)}))
       to ${sqlString(join(partition, relanded as string))} (format parquet)`,
    );
    await engine.close();
    const before = treeState(partition);

    // Act
    const rerun = await runCompaction({ lakeRoot: dir.paths.lake, asOf });

    // Assess
    expect(rerun.partitions[0]).toMatchObject({ status: 'skipped', reason: 'relanded_differs' });
    expect(treeState(partition)).toEqual(before);
  });

  it('leaves a partition holding a file of an open claim until the drain completes', async () => {
    // Prepare: day 0 gets a file from a drain that died before completing; day 1 does not.
    const dir = landingDir();
    await land(dir, spreadRows(80, { tenants: [tenants[0]], days: [days[0], days[1]] }), 20);
    await landWithoutCompleting(dir, spreadRows(10, onePartition.cells));
    const claimed = behaviourDir(dir.paths.lake, tenants[0], days[0]);
    const before = treeState(claimed);

    // Act
    const first = await runCompaction({
      lakeRoot: dir.paths.lake,
      bufferDir: dir.paths.buffer,
      asOf,
    });
    const afterFirst = treeState(claimed);
    await land(dir, [], 100);
    const second = await runCompaction({
      lakeRoot: dir.paths.lake,
      bufferDir: dir.paths.buffer,
      asOf,
    });

    // Assess
    expect(first.partitions.map((p) => [p.event_date, p.status, p.reason])).toEqual([
      [days[0], 'skipped', 'claim_open'],
      [days[1], 'compacted', undefined],
    ]);
    expect(afterFirst).toEqual(before);
    expect(second.partitions.map((p) => [p.event_date, p.status])).toEqual([
      [days[0], 'compacted'],
    ]);
    expect(await partitionRows(claimed)).toHaveLength(50);
  });

  it('leaves a partition holding rows of an erased student for the erasure to clean', async () => {
    // Prepare
    const dir = landingDir();
    const rows = spreadRows(60, onePartition.cells);
    await land(dir, rows, 10);
    registerErasure(dir.paths.lake, tenants[0], {
      student_id: rows[7]?.student_id as string,
      erased_at: '2026-11-26T10:00:00.000Z',
      audit_event_id: '01890000-0000-7000-8000-000000000001',
    });
    const partition = behaviourDir(dir.paths.lake, tenants[0], days[0]);
    const before = treeState(partition);
    const { logger, lines } = capturingLogger();

    // Act
    await runCompaction({ lakeRoot: dir.paths.lake, asOf, logger });

    // Assess
    expect(treeState(partition)).toEqual(before);
    const skipped = lines()
      .map((line) => JSON.parse(line) as { msg: string })
      .filter((line) => line.msg === 'partition skipped');
    expect(skipped).toEqual([
      expect.objectContaining({
        level: 'warn',
        job: 'compaction',
        tenant_id: tenants[0],
        partition: onePartition.name,
        reason: 'erased_rows',
        rows_in: 60,
        rows_out: 60,
      }),
    ]);
  });

  it('refuses to run while another compaction holds the lake, and a dry run still lists', async () => {
    // Prepare
    const dir = landingDir();
    await land(
      dir,
      [behaviourRow(tenants[0], days[0], 1), behaviourRow(tenants[0], days[0], 2)],
      1,
    );
    const lock = CompactionLock.acquire(dir.paths.lake);

    // Act
    const refused = await runCompaction({ lakeRoot: dir.paths.lake, asOf }).catch((err) => err);
    const listed = await runCompaction({ lakeRoot: dir.paths.lake, asOf, isDryRun: true });
    lock.release();
    const after = await runCompaction({ lakeRoot: dir.paths.lake, asOf });

    // Assess
    expect(refused).toMatchObject({ code: 'COMPACTION_ERR_LOCKED' });
    expect(listed.partitions_compacted).toBe(1);
    expect(after.partitions_compacted).toBe(1);
  });
});
