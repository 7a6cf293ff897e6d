import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawPartitionDir } from '../../../core/index.js';
import { retentionDays, runRetention } from '../../../jobs/privacy/index.js';
import { tempDir } from './privacy-fixtures.js';

const asOf = '2027-12-01';

/** A partition folder with one (empty) file; content does not matter to retention. */
function partition(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'part-1.parquet'), '');

  return dir;
}

describe('runRetention', () => {
  let lake: string;
  let old: Record<string, string>;
  let recent: Record<string, string>;

  beforeEach(() => {
    lake = tempDir();
    old = {
      behaviour: partition(rawPartitionDir(lake, 'behaviour', 't-a', '2026-10-26')),
      curated: partition(
        join(lake, 'curated/student_features/snapshot_date=2026-10-01/tenant_id=t-a'),
      ),
      grade: partition(rawPartitionDir(lake, 'grade', 't-a', '2022-11-30')),
    };
    recent = {
      behaviour: partition(rawPartitionDir(lake, 'behaviour', 't-a', '2026-10-27')),
      grade: partition(rawPartitionDir(lake, 'grade', 't-a', '2026-10-26')),
      audit: partition(rawPartitionDir(lake, 'audit', 't-a', '2026-10-26')),
      curated: partition(
        join(lake, 'curated/student_features/snapshot_date=2027-11-30/tenant_id=t-a'),
      ),
    };
  });

  afterEach(() => {
    rmSync(lake, { recursive: true, force: true });
  });

  it('removes partitions older than their zone retention and keeps newer ones', async () => {
    const summary = await runRetention({ lakeRoot: lake, asOf });

    const curatedFolder = join(lake, 'curated/student_features/snapshot_date=2026-10-01');
    expect(summary.partitions.map((p) => p.path).sort()).toEqual(
      [old.behaviour, curatedFolder, old.grade].sort(),
    );
    for (const dir of Object.values(old)) expect(existsSync(dir)).toBe(false);
    for (const dir of Object.values(recent)) expect(existsSync(dir)).toBe(true);
  });

  it('keeps a behaviour partition exactly at the limit', async () => {
    const summary = await runRetention({ lakeRoot: lake, asOf });

    expect(summary.partitions.find((p) => p.date === '2026-10-27')).toBeUndefined();
    expect(retentionDays.rawBehaviour).toBe(400);
  });

  it('removes nothing on a dry run and lists what it would remove', async () => {
    const summary = await runRetention({ lakeRoot: lake, asOf, isDryRun: true });

    expect(summary.partitions).toHaveLength(3);
    expect(summary.dedup_ids_pruned).toBeNull();
    for (const dir of [...Object.values(old), ...Object.values(recent)]) {
      expect(existsSync(dir)).toBe(true);
    }
  });

  it('rejects an as-of that is not a date', async () => {
    await expect(runRetention({ lakeRoot: lake, asOf: '01/12/2027' })).rejects.toMatchObject({
      code: 'PRIVACY_ERR_INVALID_REQUEST',
    });
  });
});
