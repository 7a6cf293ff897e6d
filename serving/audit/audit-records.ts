import { closeSync, openSync, readSync } from 'node:fs';
import { type AuditRow, rowOfLine } from './chain.js';
import { listSegments } from './segment-files.js';

const chunkBytes = 1024 * 1024;

/** The whole lines of one file, read in chunks; a last line without its newline is left out. */
function* linesOf(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(chunkBytes);
    let carry = Buffer.alloc(0);
    for (;;) {
      const read = readSync(fd, chunk, 0, chunkBytes, null);
      if (read === 0) return;
      const data = Buffer.concat([carry, chunk.subarray(0, read)]);
      let start = 0;
      for (let end = data.indexOf(10); end >= 0; end = data.indexOf(10, start)) {
        yield data.toString('utf8', start, end);
        start = end + 1;
      }
      carry = Buffer.from(data.subarray(start));
    }
  } finally {
    closeSync(fd);
  }
}

/** One stored line that is not a record: what `verify` reports as the break. */
export interface UnreadableLine {
  readonly unreadable: true;
  readonly file: string;
  readonly line: number;
}

/**
 * Every record of the audit log in `dir` after `afterSeq`, in order, across
 * segments; a line that is not a record comes out as an `UnreadableLine`.
 * A segment still being written may end in a line without its newline: that
 * record is not acknowledged yet and is not read.
 */
export function* auditRecords(dir: string, afterSeq = 0): Generator<AuditRow | UnreadableLine> {
  const segments = listSegments(dir);
  for (const [index, segment] of segments.entries()) {
    const next = segments[index + 1];
    if (next && next.firstSeq <= afterSeq + 1) continue;
    let line = 0;
    for (const text of linesOf(segment.file)) {
      line += 1;
      const row = rowOfLine(text);
      if (!row) yield { unreadable: true, file: segment.file, line };
      else if (row.seq > afterSeq) yield row;
    }
  }
}

export function isUnreadable(item: AuditRow | UnreadableLine): item is UnreadableLine {
  return 'unreadable' in item;
}
