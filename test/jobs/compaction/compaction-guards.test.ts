import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/index.js';
import { type AfterStep, CompactionLock } from '../../../jobs/compaction/index.js';
import { DuckDbEngine, sqlString } from '../../../jobs/engine/index.js';
import { Lander } from '../../../pipelines/index.js';
import type { LandingDir } from '../../pipelines/landing-fixtures.js';
import { crashingBeforeComplete } from '../../pipelines/landing-fixtures.js';
import {
  behaviourDir,
  behaviourRow,
  capturingLogger,
  compactLake,
  days,
  folderNames,
  land,
  loggedAs,
  landingDirEachTest,
  landOnePartition,
  onePartition,
  partitionRows,
  registerStudentErasure,
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
    await compactLake(dir);
    copyFileSync(saved, join(partition, relanded as string));

    // Act
    const rerun = await compactLake(dir);

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
    await compactLake(dir);
    const engine = await DuckDbEngine.open({ threads: 1 });
    await engine.run(
      `copy (select * replace (event_id || '-other' as event_id) from read_parquet(${sqlString(saved)}))
       to ${sqlString(join(partition, relanded as string))} (format parquet)`,
    );
    await engine.close();
    const before = treeState(partition);

    // Act
    const rerun = await compactLake(dir);

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
    const first = await compactLake(dir, { bufferDir: dir.paths.buffer });
    const afterFirst = treeState(claimed);
    await land(dir, [], 100);
    const second = await compactLake(dir, { bufferDir: dir.paths.buffer });

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
    registerStudentErasure(dir.paths.lake, tenants[0], rows[7]?.student_id as string);
    const partition = behaviourDir(dir.paths.lake, tenants[0], days[0]);
    const before = treeState(partition);
    const { logger, lines } = capturingLogger();

    // Act
    await compactLake(dir, { logger });

    // Assess
    expect(treeState(partition)).toEqual(before);
    expect(loggedAs(lines(), 'partition skipped')).toEqual([
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

  it('reports rows of a student erased while the swap ran, for the erasure to run again', async () => {
    // Prepare: the student's erasure registered between the checks and the rename.
    const dir = landingDir();
    const rows = spreadRows(60, onePartition.cells);
    await land(dir, rows, 10);
    const eraseMidSwap: AfterStep = (step) => {
      if (step !== 'manifest_written') return;
      registerStudentErasure(dir.paths.lake, tenants[0], rows[3]?.student_id as string);
    };
    const { logger, lines } = capturingLogger();

    // Act
    const summary = await compactLake(dir, { logger, afterStep: eraseMidSwap });

    // Assess
    expect(summary.partitions[0]).toMatchObject({ status: 'compacted', erased_rows_left: 1 });
    expect(loggedAs(lines(), 'erasure ran during compaction')[0]).toMatchObject({
      level: 'warn',
      partition: onePartition.name,
      erased_rows_left: 1,
    });
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
    const refused = await compactLake(dir).catch((err) => err);
    const listed = await compactLake(dir, { isDryRun: true });
    lock.release();
    const after = await compactLake(dir);

    // Assess
    expect(refused).toMatchObject({ code: 'COMPACTION_ERR_LOCKED' });
    expect(listed.partitions_compacted).toBe(1);
    expect(after.partitions_compacted).toBe(1);
  });
});
