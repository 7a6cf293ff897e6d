import { rmSync } from 'node:fs';
import { fsyncPath } from '../../core/index.js';
import type { DuckDbEngine } from '../engine/index.js';
import { isCompactedFile, type SeqRange, seqRangeOf } from './file-names.js';
import { rowsMissingFrom } from './partition-sql.js';
import type { PartitionFile } from './partitions.js';

/**
 * Why a partition was left as it is this run (the next run tries again):
 * - `claim_open`: it holds a file of the range a lander has claimed and may
 *   publish again under the same name (ADR 0002);
 * - `relanded_differs`: a file published again for a compacted range holds
 *   rows the compacted file lacks (an erasure removed them since);
 * - `erased_rows`: the output would hold rows of an erased student;
 * - `changed_during_run`: an input was replaced while the output was written.
 */
export type SkipReason = 'claim_open' | 'relanded_differs' | 'erased_rows' | 'changed_during_run';

/** What deciding a partition's inputs needs. */
export interface PlanContext {
  readonly engine: DuckDbEngine;
  readonly isDryRun: boolean;
  readonly openClaim: () => SeqRange | null;
}

/** The files to compact, how many re-landed files were dropped, or why to skip. */
export interface CompactionPlan {
  readonly files: readonly PartitionFile[];
  readonly relanded: number;
  readonly skip?: SkipReason;
}

function isLanderFileOf(file: PartitionFile, claim: SeqRange): boolean {
  const range = seqRangeOf(file.name);

  return (
    !isCompactedFile(file.name) &&
    range !== undefined &&
    range.first <= claim.last &&
    range.last >= claim.first
  );
}

/**
 * Lander files whose range a compacted file of the partition already covers.
 * Claims are taken one at a time in sequence order and completed before the
 * next, so a range at or below a compacted file's last sequence number was
 * either compacted into it or never had rows here: such a file can only be
 * the same range published again, by a second lander that finished its drain
 * after the first had completed it (ADR 0002 allows two at once).
 */
function relandedFiles(files: readonly PartitionFile[]): PartitionFile[] {
  const lasts = files.flatMap((file) =>
    isCompactedFile(file.name) ? [seqRangeOf(file.name)?.last ?? -1] : [],
  );
  const compactedThrough = Math.max(-1, ...lasts);

  return files.filter((file) => {
    const range = seqRangeOf(file.name);

    return !isCompactedFile(file.name) && range !== undefined && range.last <= compactedThrough;
  });
}

/**
 * Decides what to compact in a partition: nothing while a lander's open claim
 * has a file there; otherwise every visible file, less the re-landed ones,
 * which are deleted once the compacted files are shown to hold each of their
 * rows (a dry run only counts them).
 */
export async function filesToCompact(
  context: PlanContext,
  dir: string,
  files: readonly PartitionFile[],
): Promise<CompactionPlan> {
  const claim = context.openClaim();
  if (claim && files.some((file) => isLanderFileOf(file, claim))) {
    return { files, relanded: 0, skip: 'claim_open' };
  }
  const relanded = relandedFiles(files);
  const compacted = files.filter((file) => isCompactedFile(file.name)).map((file) => file.path);
  for (const file of relanded) {
    if ((await rowsMissingFrom(context.engine, file.path, compacted)) > 0) {
      return { files, relanded: 0, skip: 'relanded_differs' };
    }
  }
  if (!context.isDryRun && relanded.length > 0) {
    for (const file of relanded) rmSync(file.path, { force: true });
    fsyncPath(dir);
  }

  return { files: files.filter((file) => !relanded.includes(file)), relanded: relanded.length };
}
