import { existsSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { lakeZones } from '../../core/index.js';

/** Raw families erasure rewrites; `audit` is kept (see docs/privacy.md). */
export const erasableRawFamilies = ['grade', 'behaviour'] as const;

/** Every `.parquet` file under a directory, sorted (temp and staging folders skipped). */
export function parquetFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...parquetFilesUnder(path));
    else if (entry.name.endsWith('.parquet')) files.push(path);
  }

  return files.sort();
}

/** The raw files of one tenant in the families erasure rewrites. */
export function rawFilesOfTenant(lakeRoot: string, tenantId: string): string[] {
  return erasableRawFamilies.flatMap((family) =>
    parquetFilesUnder(join(lakeRoot, lakeZones.raw, family, `tenant_id=${tenantId}`)),
  );
}

/**
 * Curated files that may hold the tenant's rows: those under its
 * `tenant_id=<t>` folder, and those of datasets not partitioned by tenant.
 */
export function curatedFilesOfTenant(lakeRoot: string, tenantId: string): string[] {
  return parquetFilesUnder(join(lakeRoot, lakeZones.curated)).filter((file) => {
    const tenantSegment = file.split(sep).find((part) => part.startsWith('tenant_id='));

    return tenantSegment === undefined || tenantSegment === `tenant_id=${tenantId}`;
  });
}
