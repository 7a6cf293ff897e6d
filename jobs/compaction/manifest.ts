import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fsyncPath } from '../../core/index.js';
import {
  isCompactedFile,
  isCompactionTemp,
  isVisibleParquet,
  manifestFileName,
  tempFileName,
} from './file-names.js';
import { compactionErrors } from './errors.js';

/**
 * What a compaction is about to do to one partition, written (fsync'd) before
 * the swap and removed after the inputs are gone. While it exists, the
 * partition may hold the output and some inputs at once; the next run reads
 * it and finishes the compaction or undoes it (`recoverPartition`).
 */
export interface CompactionManifest {
  /** The compacted file's name in the partition. */
  readonly output: string;
  /** The input names, every one of which the output holds. */
  readonly inputs: readonly string[];
  readonly rows: number;
  readonly created_at: string;
}

/** What a rerun did with a compaction a crash (or a failure) left half-done. */
export type Recovery = 'rolled_forward' | 'rolled_back';

/** Writes the manifest to a temp name, fsyncs it, renames it into place, fsyncs the folder. */
export function writeManifest(dir: string, manifest: CompactionManifest): void {
  const temp = join(dir, tempFileName(manifestFileName));
  writeFileSync(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  fsyncPath(temp);
  renameSync(temp, join(dir, manifestFileName));
  fsyncPath(dir);
}

export function removeManifest(dir: string): void {
  rmSync(join(dir, manifestFileName), { force: true });
  fsyncPath(dir);
}

/** A bare file name of the partition (no path), so a manifest cannot name files elsewhere. */
function isPartitionFileName(name: unknown): name is string {
  return typeof name === 'string' && basename(name) === name && isVisibleParquet(name);
}

/** The manifest in `text`, or undefined when it is not one this job wrote. */
function validManifest(text: string): CompactionManifest | undefined {
  const manifest = JSON.parse(text) as Partial<CompactionManifest> | null;
  const isValid =
    isPartitionFileName(manifest?.output) &&
    isCompactedFile(manifest.output) &&
    Array.isArray(manifest.inputs) &&
    manifest.inputs.every(isPartitionFileName);

  return isValid ? (manifest as CompactionManifest) : undefined;
}

/** The partition's manifest, or undefined; `COMPACTION_ERR_MANIFEST_INVALID` when not ours. */
export function readManifest(dir: string): CompactionManifest | undefined {
  const path = join(dir, manifestFileName);
  if (!existsSync(path)) return undefined;
  let manifest: CompactionManifest | undefined;
  let cause: unknown;
  try {
    manifest = validManifest(readFileSync(path, 'utf8'));
  } catch (err) {
    cause = err;
  }
  if (manifest) return manifest;

  throw compactionErrors.create(
    'COMPACTION_ERR_MANIFEST_INVALID',
    `${manifestFileName} of this partition is not one the compaction job wrote; the ` +
      'partition is left as it is. Move the file away once its files are checked by hand.',
    { cause, details: { path } },
  );
}

/** What `recoverPartition` would do, without doing it (for a dry run). */
export function pendingRecovery(dir: string): Recovery | undefined {
  const manifest = readManifest(dir);
  if (!manifest) return undefined;

  return existsSync(join(dir, manifest.output)) ? 'rolled_forward' : 'rolled_back';
}

/**
 * Finishes or undoes what a stopped compaction left in the partition, so it
 * holds every row exactly once again. The output is renamed into place only
 * once fully written, checked and named in a durable manifest, so: output
 * present, the swap happened and the inputs still there are deleted (one may
 * be a name the lander re-created after a crashed drain: the same range, the
 * same rows, ADR 0002); output absent, the inputs were never touched and the
 * temp file is dropped. Temp files without a manifest are dropped too. Runs
 * under the compaction lock only; returns undefined when there was nothing.
 */
export function recoverPartition(dir: string): Recovery | undefined {
  const manifest = readManifest(dir);
  const temps = readdirSync(dir).filter(isCompactionTemp);
  if (!manifest && temps.length === 0) return undefined;

  const isSwapped = manifest !== undefined && existsSync(join(dir, manifest.output));
  if (isSwapped) {
    for (const input of manifest.inputs) rmSync(join(dir, input), { force: true });
  }
  for (const temp of temps) rmSync(join(dir, temp), { force: true });
  if (!manifest) {
    fsyncPath(dir);
    return undefined;
  }
  removeManifest(dir);

  return isSwapped ? 'rolled_forward' : 'rolled_back';
}
