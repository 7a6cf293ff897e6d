import {
  closeSync,
  existsSync,
  fdatasync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncPath } from '../../core/index.js';
import { genesisHash, isSelfConsistent, rowOfLine } from './chain.js';
import { auditErrors } from './errors.js';

/** Flushes a file descriptor's data to disk, calling back once done (`fs.fdatasync`). */
export type DataSync = (fd: number, done: (err: Error | null) => void) => void;

/** A segment file's name: the sequence number of its first record, zero-padded. */
const segmentPattern = /^audit-(\d{12})\.jsonl$/;

/** A new segment is started once the current one holds this much (and nothing is syncing). */
const defaultMaxSegmentBytes = 128 * 1024 * 1024;

/**
 * How much of the last segment's end is read to find the last whole record
 * on open. What lies after the last acknowledged record is at most the
 * records queued and in flight (20,000 rows of about 500 bytes), far less.
 */
const recoveryWindowBytes = 16 * 1024 * 1024;

export function segmentName(firstSeq: number): string {
  return `audit-${String(firstSeq).padStart(12, '0')}.jsonl`;
}

/** The segment files of `dir`, oldest first, with the first sequence number each holds. */
export function listSegments(dir: string): { file: string; firstSeq: number }[] {
  if (!existsSync(dir)) return [];

  return readdirSync(dir)
    .map((name) => ({ name, match: segmentPattern.exec(name) }))
    .filter((entry) => entry.match !== null)
    .map((entry) => ({ file: join(dir, entry.name), firstSeq: Number(entry.match?.[1]) }))
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

/** Makes a directory's entries (new or renamed files) durable. */
export function syncDirectory(dir: string): void {
  fsyncPath(dir);
}

/**
 * Keeps the bytes about to be cut off next to the segment (`<segment>.torn-<ms>`):
 * recovery never destroys what it removes.
 */
function keepTornBytes(file: string, bytes: Buffer): void {
  const fd = openSync(`${file}.torn-${Date.now()}`, 'wx', 0o400);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncDirectory(dirname(file));
}

/**
 * Finds the last whole record of a segment and cuts off what follows it: a
 * torn write of records that were never acknowledged (an acknowledgement
 * waits for the `fdatasync` after the write), kept aside as evidence. A
 * whole record whose hash does not match its content is not a torn write:
 * the log refuses to open (`AUDIT_ERR_SEGMENT_CORRUPT`), so reads fail
 * closed until someone looks. Returns the head found, or undefined when the
 * segment holds no record.
 */
function recoverTail(file: string): { seq: number; hash: string } | undefined {
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    const from = Math.max(0, size - recoveryWindowBytes);
    const buffer = Buffer.alloc(size - from);
    readSync(fd, buffer, 0, buffer.length, from);
    let head: { seq: number; hash: string } | undefined;
    let keep = 0;
    for (let end = buffer.length; end > 0 && !head; ) {
      const lineEnd = buffer.lastIndexOf(10, end - 1);
      const lineStart = buffer.lastIndexOf(10, lineEnd - 1) + 1;
      if (lineEnd < 0 || (lineStart === 0 && from > 0)) break;
      const row = rowOfLine(buffer.toString('utf8', lineStart, lineEnd));
      if (row && !isSelfConsistent(row))
        throw corrupt(file, `record ${row.seq} does not hash to its content`);
      if (row) {
        head = { seq: row.seq, hash: row.hash };
        keep = lineEnd + 1;
      }
      end = lineStart;
    }
    if (!head && from > 0)
      throw corrupt(file, `no whole record in its last ${recoveryWindowBytes} bytes`);
    if (from + keep < size) {
      keepTornBytes(file, buffer.subarray(keep));
      ftruncateSync(fd, from + keep);
      fsyncSync(fd);
    }

    return head;
  } finally {
    closeSync(fd);
  }
}

function corrupt(file: string, reason: string) {
  return auditErrors.create(
    'AUDIT_ERR_SEGMENT_CORRUPT',
    `Audit segment ${file}: ${reason}. Keep the file as evidence and run luca audit verify.`,
  );
}

/**
 * The audit log's files: append-only JSON-lines segments in one directory
 * (`<data-dir>/state/audit/`), each named after its first record's sequence
 * number, the chain running on from one segment into the next (ADR 0091).
 * `write` appends on the calling thread (into the page cache, in order);
 * `sync` makes everything written so far durable with an `fdatasync` in
 * libuv's thread pool.
 */
export class AuditSegments {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #dataSync: DataSync;
  #fd: number;
  #bytes: number;
  readonly head: { seq: number; hash: string };

  private constructor(dir: string, head: { seq: number; hash: string }, options: SegmentOptions) {
    this.#dir = dir;
    this.#maxBytes = options.maxSegmentBytes ?? defaultMaxSegmentBytes;
    this.#dataSync = options.dataSync ?? fdatasync;
    this.head = head;
    const last = listSegments(dir).at(-1);
    this.#fd = last ? openSync(last.file, 'a') : this.#create(head.seq + 1);
    this.#bytes = fstatSync(this.#fd).size;
  }

  /** Opens (or creates) the segments in `dir`, cutting off a torn tail, and finds the head. */
  static open(dir: string, options: SegmentOptions = {}): AuditSegments {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const segments = listSegments(dir);
    let head: { seq: number; hash: string } | undefined;
    for (let i = segments.length - 1; i >= 0 && !head; i--) {
      head = recoverTail((segments[i] as { file: string }).file);
    }

    return new AuditSegments(dir, head ?? { seq: 0, hash: genesisHash }, options);
  }

  /** True once the current segment is past its size: `rotate` before the next write. */
  get isFull(): boolean {
    return this.#bytes >= this.#maxBytes;
  }

  /** Starts a new segment. Only call it when no `sync` is in flight on the current one. */
  rotate(nextSeq: number): void {
    const fd = this.#create(nextSeq);
    closeSync(this.#fd);
    this.#fd = fd;
    this.#bytes = 0;
  }

  /** Appends whole lines to the current segment (page cache only until `sync`). */
  write(text: string): void {
    this.#bytes += writeSync(this.#fd, text);
  }

  /** Resolves once everything written to the current segment so far is on disk. */
  sync(): Promise<void> {
    const fd = this.#fd;

    return new Promise((resolve, reject) => {
      this.#dataSync(fd, (err) => (err ? reject(err) : resolve()));
    });
  }

  close(): void {
    closeSync(this.#fd);
  }

  #create(firstSeq: number): number {
    const fd = openSync(join(this.#dir, segmentName(firstSeq)), 'ax', 0o600);
    // The new file's directory entry must be durable before a record in it is acknowledged.
    syncDirectory(this.#dir);

    return fd;
  }
}

export interface SegmentOptions {
  /** Size after which a new segment starts (default 128 MiB). */
  readonly maxSegmentBytes?: number;
  /** Replaces `fs.fdatasync` (tests hold syncs back with it). */
  readonly dataSync?: DataSync;
}
