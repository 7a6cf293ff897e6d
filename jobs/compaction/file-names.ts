import { createHash } from 'node:crypto';

/**
 * Names the compaction job reads and writes inside a raw partition folder
 * (docs/lake-layout.md). The lander writes `part-<first>-<last>[-k].parquet`;
 * a compacted file is `compacted-<first>-<last>-<hash>.parquet`, where the
 * range spans its inputs' ranges and the hash is taken over their sorted
 * names, so the same inputs always give the same name. Files starting with
 * `_` or `.` are hidden from every reader of the lake (DuckDB's `*.parquet`
 * glob, the erasure's file walk, Hive's convention), which is where the
 * manifest and the temp file live.
 */

/** A buffer sequence range a lake file covers. */
export interface SeqRange {
  readonly first: number;
  readonly last: number;
}

/** The manifest a compaction writes before its swap and removes after it. */
export const manifestFileName = '_compaction.json';

const partFile = /^part-(\d{12})-(\d{12})(?:-\d+)?\.parquet$/;
const compactedFile = /^compacted-(?:(\d{12})-(\d{12})-)?([0-9a-f]{16})\.parquet$/;
const staleTemp = /^\.(?:compacted-.*|_compaction\.json)\.tmp$/;

/** True for a name the compaction job wrote. */
export function isCompactedFile(name: string): boolean {
  return compactedFile.test(name);
}

/** True for a lake file a reader of the partition sees (not hidden, Parquet). */
export function isVisibleParquet(name: string): boolean {
  return name.endsWith('.parquet') && !name.startsWith('.') && !name.startsWith('_');
}

/** True for a temp file a compaction leaves only when it stops half-way. */
export function isCompactionTemp(name: string): boolean {
  return staleTemp.test(name);
}

/** The sequence range in a lander's or a compacted file's name, if it has one. */
export function seqRangeOf(name: string): SeqRange | undefined {
  const match = partFile.exec(name) ?? compactedFile.exec(name);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;

  return { first: Number(match[1]), last: Number(match[2]) };
}

function padded(seq: number): string {
  return String(seq).padStart(12, '0');
}

/**
 * The compacted file's name for a set of input names: the same inputs give
 * the same name, in any order.
 *
 * @example
 * compactedFileName(['part-000000000001-000000000400.parquet', 'part-000000000401-000000000800.parquet'])
 * // 'compacted-000000000001-000000000800-<16 hex>.parquet'
 */
export function compactedFileName(inputs: readonly string[]): string {
  const sorted = [...inputs].sort();
  const hash = createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 16);
  const ranges = sorted.flatMap((name) => seqRangeOf(name) ?? []);
  if (ranges.length === 0) return `compacted-${hash}.parquet`;
  const first = Math.min(...ranges.map((range) => range.first));
  const last = Math.max(...ranges.map((range) => range.last));

  return `compacted-${padded(first)}-${padded(last)}-${hash}.parquet`;
}

/** Where the output is written before it is checked and renamed into place. */
export function tempFileName(output: string): string {
  return `.${output}.tmp`;
}
