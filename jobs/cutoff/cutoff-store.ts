import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lakeZones } from '../../core/index.js';
import type { CutoffRecord, LineageRow, UnsendableRow } from './build-records.js';
import {
  type CutoffManifest,
  cutoffDir,
  cutoffPeriodDir,
  parseCutoffId,
} from './cutoff-manifest.js';
import { cutoffErrors } from './errors.js';

/** A frozen cutoff read back from the lake, checksums verified. */
export interface FrozenCutoff {
  readonly manifest: CutoffManifest;
  readonly dir: string;
  /** Records per school (CCT), in file order. */
  readonly records: ReadonlyMap<string, CutoffRecord[]>;
  readonly lineage: LineageRow[];
  readonly unsendable: UnsendableRow[];
}

export function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Parses a JSON-lines file. */
export function readJsonLines<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}

/** The directory of a cutoff id, or throws CUTOFF_ERR_NOT_FOUND. */
export function locateCutoff(lakeRoot: string, cutoffId: string): string {
  const parsed = parseCutoffId(cutoffId);
  const dir = parsed && cutoffDir(lakeRoot, parsed.tenantId, parsed.periodKey, parsed.version);
  if (!dir || !existsSync(join(dir, 'manifest.json'))) {
    throw cutoffErrors.create(
      'CUTOFF_ERR_NOT_FOUND',
      `No cutoff ${cutoffId}; list them with "luca cutoff list".`,
    );
  }

  return dir;
}

export function readManifest(lakeRoot: string, cutoffId: string): CutoffManifest {
  const dir = locateCutoff(lakeRoot, cutoffId);

  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as CutoffManifest;
}

/** Reads a cutoff and checks every file against the manifest's SHA-256. */
export function readCutoff(lakeRoot: string, cutoffId: string): FrozenCutoff {
  const dir = locateCutoff(lakeRoot, cutoffId);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as CutoffManifest;
  for (const file of manifest.files) {
    if (sha256Hex(readFileSync(join(dir, file.path))) !== file.sha256) {
      throw cutoffErrors.create(
        'CUTOFF_ERR_CHECKSUM_MISMATCH',
        `${file.path} of ${cutoffId} no longer matches its checksum; create a new cutoff version.`,
      );
    }
  }
  const records = new Map<string, CutoffRecord[]>();
  for (const file of manifest.files.filter((f) => f.kind === 'records')) {
    records.set(file.cct as string, readJsonLines<CutoffRecord>(join(dir, file.path)));
  }

  return {
    manifest,
    dir,
    records,
    lineage: readJsonLines<LineageRow>(join(dir, 'lineage.jsonl')),
    unsendable: readJsonLines<UnsendableRow>(join(dir, 'unsendable.jsonl')),
  };
}

/** Every version of a tenant's period, newest last. */
export function listVersions(lakeRoot: string, tenantId: string, periodKeyValue: string): number[] {
  const dir = cutoffPeriodDir(lakeRoot, tenantId, periodKeyValue);
  if (!existsSync(dir)) return [];

  return readdirSync(dir)
    .map((name) => /^version=([0-9]+)$/.exec(name)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Every cutoff manifest in the lake, optionally for one tenant, oldest first. */
export function listManifests(lakeRoot: string, tenantId?: string): CutoffManifest[] {
  const root = join(lakeRoot, lakeZones.cutoffs);
  if (!existsSync(root)) return [];
  const manifests: CutoffManifest[] = [];
  for (const tenantDir of readdirSync(root).sort()) {
    const tenant = /^tenant_id=(.+)$/.exec(tenantDir)?.[1];
    if (!tenant || (tenantId && tenant !== tenantId)) continue;
    for (const periodDir of readdirSync(join(root, tenantDir)).sort()) {
      const key = /^period_key=(.+)$/.exec(periodDir)?.[1];
      if (!key) continue;
      for (const version of listVersions(lakeRoot, tenant, key)) {
        const file = join(cutoffDir(lakeRoot, tenant, key, version), 'manifest.json');
        if (existsSync(file))
          manifests.push(JSON.parse(readFileSync(file, 'utf8')) as CutoffManifest);
      }
    }
  }

  return manifests;
}
