import { once } from 'node:events';
import { createWriteStream, mkdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { seedErrors } from './errors.js';

const chunkBytes = 1 << 20;

/**
 * Writes JSON lines to `<file>.tmp` in chunks of about 1 MiB, waiting for the
 * disk when the stream is full (so memory stays bounded), and renames the file
 * into place on `close()`: a reader never sees half a seed.
 */
export class JsonlWriter {
  readonly path: string;
  readonly #tmp: string;
  readonly #stream: WriteStream;
  #pending: string[] = [];
  #pendingBytes = 0;
  #failure: Error | undefined;
  lines = 0;

  constructor(path: string, mode = 0o600) {
    this.path = path;
    this.#tmp = `${path}.tmp`;
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      this.#stream = createWriteStream(this.#tmp, { mode, flags: 'w' });
    } catch (cause) {
      throw seedErrors.create(
        'SEED_ERR_OUTPUT_FAILED',
        `Cannot open ${path}; check the path and its permissions.`,
        { cause },
      );
    }
    this.#stream.on('error', (error) => {
      this.#failure = error;
    });
  }

  /** Queues one object as a line; returns a promise only when a full chunk goes to disk. */
  write(value: unknown): Promise<void> | undefined {
    const line = `${JSON.stringify(value)}\n`;
    this.#pending.push(line);
    this.#pendingBytes += line.length;
    this.lines += 1;

    return this.#pendingBytes >= chunkBytes ? this.#flush() : undefined;
  }

  async #flush(): Promise<void> {
    this.#check();
    const chunk = this.#pending.join('');
    this.#pending = [];
    this.#pendingBytes = 0;
    if (chunk.length > 0 && !this.#stream.write(chunk)) await once(this.#stream, 'drain');
  }

  #check(): void {
    if (this.#failure) {
      throw seedErrors.create(
        'SEED_ERR_OUTPUT_FAILED',
        `Writing ${this.path} failed; check free disk space.`,
        { cause: this.#failure },
      );
    }
  }

  /** Flushes, closes and publishes the file under its final name. */
  async close(): Promise<void> {
    await this.#flush();
    this.#stream.end();
    await once(this.#stream, 'finish');
    this.#check();
    renameSync(this.#tmp, this.path);
  }

  /** Drops the partial file (after a failed run). */
  abort(): void {
    this.#stream.destroy();
    rmSync(this.#tmp, { force: true });
  }
}
