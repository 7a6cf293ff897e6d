import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { periodKey } from '../../../core/index.js';
import { type SqlEngine, sqlString } from '../../engine/index.js';

/** Where one tenant's period of a curated dataset lives. */
export function periodPartitionDir(datasetDir: string, tenantId: string, periodId: string) {
  return join(datasetDir, `tenant_id=${tenantId}`, `period_key=${periodKey(periodId)}`);
}

/** Swaps a staged directory in place of `target`, so readers see the old or the new data. */
async function swapIn(staged: string, target: string): Promise<void> {
  const old = `${target}.old-${randomUUID()}`;
  await rename(target, old).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await rename(staged, target);
  await rm(old, { recursive: true, force: true });
}

/**
 * Writes one tenant's period of `table` as `data.parquet` in its partition,
 * replacing what was there: written beside it, then renamed in (a re-run
 * never leaves a half-written partition). Returns the file and its size.
 */
export async function writePeriodPartition(
  engine: SqlEngine,
  table: string,
  datasetDir: string,
  tenantId: string,
  periodId: string,
): Promise<{ file: string; bytes: number }> {
  const target = periodPartitionDir(datasetDir, tenantId, periodId);
  await mkdir(join(target, '..'), { recursive: true });
  const staged = join(target, '..', `.tmp-${randomUUID()}`);
  await mkdir(staged);
  try {
    await engine.run(`copy (
    select * exclude (tenant_id)
    from ${table}
    where tenant_id = ${sqlString(tenantId)} and period_id = ${sqlString(periodId)}
    order by all
) to ${sqlString(join(staged, 'data.parquet'))} (format parquet, compression zstd)`);
    await swapIn(staged, target);
  } catch (err) {
    await rm(staged, { recursive: true, force: true });
    throw err;
  }
  const file = join(target, 'data.parquet');

  return { file, bytes: (await stat(file)).size };
}
