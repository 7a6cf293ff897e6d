import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type EventFamily, hiveFolderValues, lakeZones, statsSignature } from '../../core/index.js';
import { isVisibleParquet } from './file-names.js';

/**
 * The raw families the job compacts. `audit` is left as landed: in the cloud
 * its bucket is under Object Lock (ADR 0018), where the inputs of a compaction
 * could not be deleted, and the local lake keeps the same shape (ADR 0096).
 */
export const compactableFamilies = ['grade', 'behaviour'] as const satisfies EventFamily[];

/** One raw partition folder: a family, a tenant and a UTC day. */
export interface RawPartition {
  readonly family: EventFamily;
  readonly tenantId: string;
  readonly eventDate: string;
  readonly dir: string;
  /** `<family>/tenant_id=<t>/event_date=<d>`, as logs and summaries name it. */
  readonly name: string;
}

/** A Parquet file a reader of the partition sees, as it was when listed. */
export interface PartitionFile {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  /** Inode, size and modification time: a file replaced or rewritten since differs. */
  readonly signature: string;
}

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The partitions of the compactable families whose day is `closedThrough` or
 * earlier, optionally of one tenant, in family, tenant and day order.
 */
export function closedPartitions(
  lakeRoot: string,
  closedThrough: string,
  tenantId?: string,
): RawPartition[] {
  return compactableFamilies.flatMap((family) => {
    const familyDir = join(lakeRoot, lakeZones.raw, family);
    const tenants = hiveFolderValues(familyDir, 'tenant_id').filter(
      (tenant) => tenantId === undefined || tenant === tenantId,
    );

    return tenants.flatMap((tenant) => {
      const tenantDir = join(familyDir, `tenant_id=${tenant}`);
      const days = hiveFolderValues(tenantDir, 'event_date').filter(
        (day) => isoDay.test(day) && day <= closedThrough,
      );

      return days.map((day) => ({
        family,
        tenantId: tenant,
        eventDate: day,
        dir: join(tenantDir, `event_date=${day}`),
        name: `${family}/tenant_id=${tenant}/event_date=${day}`,
      }));
    });
  });
}

/** The visible Parquet files of a partition folder, sorted by name. */
export function partitionFiles(dir: string): PartitionFile[] {
  return readdirSync(dir)
    .filter(isVisibleParquet)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat?.isFile()) return [];

      return [{ name, path, bytes: stat.size, signature: statsSignature(stat) }];
    });
}
