/** UTF-8 bytes of a text piece, encoded once (a constant of every document). */
export function encoded(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/**
 * Writes documents as UTF-8 bytes into large buffers and hands each one out
 * as a slice. Documents are assembled from pieces encoded once (the constant
 * text, the entries `EntryCache` keeps), so most of a document is copied, not
 * built: a document built as a string and encoded per student cost about
 * 10 µs, half of the publish's main thread. A slice is never overwritten:
 * a full buffer is replaced, not reused, so a batch still being sent stays
 * intact.
 */
export class DocumentWriter {
  readonly #chunkBytes: number;
  #buffer: Buffer;
  #start = 0;
  #offset = 0;

  constructor(chunkBytes = 4 << 20) {
    this.#chunkBytes = chunkBytes;
    this.#buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /** Starts a document. */
  begin(): void {
    this.#start = this.#offset;
  }

  bytes(piece: Uint8Array): void {
    this.#reserve(piece.length);
    this.#buffer.set(piece, this.#offset);
    this.#offset += piece.length;
  }

  /** One ASCII character, e.g. `,` or `]`. */
  char(code: number): void {
    this.#reserve(1);
    this.#buffer[this.#offset++] = code;
  }

  /** A short ASCII text, such as a number's digits. */
  ascii(text: string): void {
    this.#reserve(text.length);
    const buffer = this.#buffer;
    let offset = this.#offset;
    for (let at = 0; at < text.length; at++) buffer[offset++] = text.charCodeAt(at);
    this.#offset = offset;
  }

  /** Any text, encoded as UTF-8. */
  text(piece: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.#reserve(piece.length * 3);
    this.#offset += this.#buffer.write(piece, this.#offset, 'utf8');
  }

  /** Bytes of the document begun so far. */
  get length(): number {
    return this.#offset - this.#start;
  }

  /** Ends the document and returns its bytes. */
  end(): Buffer {
    return this.#buffer.subarray(this.#start, this.#offset);
  }

  /** Moves the document begun so far to a new buffer when `bytes` more do not fit. */
  #reserve(bytes: number): void {
    if (this.#offset + bytes <= this.#buffer.length) return;
    const begun = this.#buffer.subarray(this.#start, this.#offset);
    const next = Buffer.allocUnsafe(Math.max(this.#chunkBytes, (begun.length + bytes) * 2));
    next.set(begun, 0);
    this.#buffer = next;
    this.#start = 0;
    this.#offset = begun.length;
  }
}
