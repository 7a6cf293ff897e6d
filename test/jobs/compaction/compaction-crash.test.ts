import { copyFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type AfterStep,
  type CompactionStep,
  compactedFileName,
  manifestFileName,
  tempFileName,
} from '../../../jobs/compaction/index.js';
import {
  capturingLogger,
  compactLake,
  folderNames,
  landingDirEachTest,
  landOnePartition,
  loggedAs,
  onePartition,
  partitionRows,
  tenants,
  treeState,
} from './compaction-fixture.js';

/** Stops the run at the `nth` time it reaches `step`, as a crash there would. */
function crashAt(step: CompactionStep, nth = 1): AfterStep {
  let reached = 0;

  return (current) => {
    if (current !== step) return;
    reached += 1;
    if (reached === nth) throw new Error(`simulated crash after ${step}`);
  };
}

describe('runCompaction after a crash', () => {
  const landingDir = landingDirEachTest('luca-compaction-crash-');

  const crashes = [
    { step: 'output_written', nth: 1, left: '.tmp', recovery: undefined },
    { step: 'manifest_written', nth: 1, left: manifestFileName, recovery: 'rolled_back' },
    { step: 'renamed', nth: 1, left: manifestFileName, recovery: 'rolled_forward' },
    { step: 'input_deleted', nth: 3, left: manifestFileName, recovery: 'rolled_forward' },
  ] as const;

  it.each(crashes)(
    'holds every row exactly once after a crash at $step (#$nth) and a rerun',
    async ({ step, nth, left, recovery }) => {
      // Prepare
      const dir = landingDir();
      const partition = await landOnePartition(dir);
      const before = await partitionRows(partition);
      const output = compactedFileName(folderNames(partition));

      // Act
      const crashed = await compactLake(dir, { afterStep: crashAt(step, nth) });
      const leftByCrash = folderNames(partition);
      const rerun = await compactLake(dir);

      // Assess
      expect(crashed.partitions[0]).toMatchObject({ status: 'failed' });
      expect(leftByCrash.some((name) => name.endsWith(left))).toBe(true);
      expect(rerun.partitions[0]?.recovery).toBe(recovery);
      expect(rerun.partitions_failed).toBe(0);
      expect(folderNames(partition)).toEqual([output]);
      expect(await partitionRows(partition)).toEqual(before);
    },
  );

  it('keeps the inputs and reports the partition failed when the output row count differs', async () => {
    // Prepare: the written output swapped for one input's rows, as a torn write would leave it.
    const dir = landingDir();
    const partition = await landOnePartition(dir);
    const inputs = folderNames(partition);
    const temp = join(partition, tempFileName(compactedFileName(inputs)));
    const tornWrite: AfterStep = (step) => {
      if (step === 'output_written') copyFileSync(join(partition, inputs[0] as string), temp);
    };
    const before = treeState(partition);
    const { logger, lines } = capturingLogger();

    // Act
    const summary = await compactLake(dir, { logger, afterStep: tornWrite });

    // Assess
    expect(summary.partitions[0]).toMatchObject({
      status: 'failed',
      error_code: 'COMPACTION_ERR_ROW_COUNT_MISMATCH',
      rows_in: 240,
      rows_out: 24,
    });
    expect(summary).toMatchObject({ partitions_failed: 1, partitions_compacted: 0 });
    expect(treeState(partition)).toEqual(before);
    expect(loggedAs(lines(), 'partition compaction failed')[0]).toMatchObject({
      level: 'error',
      job: 'compaction',
      tenant_id: tenants[0],
      partition: onePartition.name,
      rows_in: 240,
      rows_out: 24,
      error_code: 'COMPACTION_ERR_ROW_COUNT_MISMATCH',
    });
  });

  it('leaves the partition when an input is replaced while the output is written', async () => {
    // Prepare: an input renamed over by a rewrite (as the erasure does) mid-compaction.
    const dir = landingDir();
    const partition = await landOnePartition(dir);
    const inputs = folderNames(partition);
    const rewrite: AfterStep = (step) => {
      if (step !== 'output_written') return;
      const first = join(partition, inputs[0] as string);
      copyFileSync(first, `${first}.rewritten`);
      renameSync(`${first}.rewritten`, first);
    };
    const before = await partitionRows(partition);

    // Act
    const summary = await compactLake(dir, { afterStep: rewrite });

    // Assess
    expect(summary.partitions[0]).toMatchObject({
      status: 'skipped',
      reason: 'changed_during_run',
    });
    expect(folderNames(partition)).toEqual(inputs);
    expect(await partitionRows(partition)).toEqual(before);
  });
});
