import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type EventFamily, fsyncPath, rawPartitionDir } from '../../core/index.js';
import type { DrainClaim } from '../buffer/index.js';

/** One Parquet file moved into the lake. */
export interface PublishedFile {
  readonly family: EventFamily;
  readonly tenantId: string;
  readonly eventDate: string;
  readonly path: string;
}

/** `part-<first>-<last>.parquet`, zero-padded so names sort by drain order. */
export function partFileName(claim: DrainClaim, index: number): string {
  const range = `${String(claim.firstSeq).padStart(12, '0')}-${String(claim.lastSeq).padStart(12, '0')}`;

  return index === 0 ? `part-${range}.parquet` : `part-${range}-${index}.parquet`;
}

function partitionValue(dirName: string, key: string): string {
  const prefix = `${key}=`;
  if (!dirName.startsWith(prefix)) throw new Error(`unexpected partition folder ${dirName}`);

  return decodeURIComponent(dirName.slice(prefix.length));
}

function listDirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * Moves every file DuckDB staged for a claim into its lake partition under the
 * claim's deterministic name: fsync the file, rename it over any file a crashed
 * earlier attempt left (rename is atomic, so readers see the old or the new
 * file, never half of one), then fsync the partition folder so the rename
 * survives a power cut.
 */
export function publishStaged(
  stagingDir: string,
  families: readonly EventFamily[],
  claim: DrainClaim,
  lakeRoot: string,
): PublishedFile[] {
  const published: PublishedFile[] = [];
  for (const family of families) {
    const familyDir = join(stagingDir, family);
    if (!existsSync(familyDir)) continue;
    for (const tenantDir of listDirs(familyDir)) {
      for (const dateDir of listDirs(join(familyDir, tenantDir))) {
        const source = join(familyDir, tenantDir, dateDir);
        const tenantId = partitionValue(tenantDir, 'tenant_id');
        const eventDate = partitionValue(dateDir, 'event_date');
        const target = rawPartitionDir(lakeRoot, family, tenantId, eventDate);
        mkdirSync(target, { recursive: true });
        const files = readdirSync(source)
          .filter((name) => name.endsWith('.parquet'))
          .sort();
        files.forEach((name, index) => {
          const path = join(target, partFileName(claim, index));
          fsyncPath(join(source, name));
          renameSync(join(source, name), path);
          published.push({ family, tenantId, eventDate, path });
        });
        fsyncPath(target);
      }
    }
  }

  return published;
}

/** Removes staging folders left by landers that are no longer running. */
export function removeStaleStaging(stagingRoot: string): number {
  if (!existsSync(stagingRoot)) return 0;
  let removed = 0;
  for (const name of listDirs(stagingRoot)) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    if (pid === process.pid) continue;
    rmSync(join(stagingRoot, name), { recursive: true, force: true });
    removed += 1;
  }

  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
