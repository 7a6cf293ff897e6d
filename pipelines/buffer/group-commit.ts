import { ingestErrors } from '../ingest/errors.js';

interface Waiter<I, O> {
  readonly items: readonly I[];
  resolve(results: O[]): void;
  reject(err: unknown): void;
}

/**
 * Groups the items of concurrent `submit` calls into one synchronous write per
 * turn of the event loop. Every caller's promise settles only after the write
 * that holds its items returned, so "resolved" means "durable" when the write
 * fsyncs. One fsync then covers many HTTP requests.
 */
export class GroupCommitter<I, O> {
  readonly #write: (items: readonly I[]) => O[];
  #queue: Waiter<I, O>[] = [];
  #isScheduled = false;
  #isClosed = false;

  constructor(write: (items: readonly I[]) => O[]) {
    this.#write = write;
  }

  submit(items: readonly I[]): Promise<O[]> {
    if (this.#isClosed) {
      return Promise.reject(
        ingestErrors.create('BUFFER_ERR_UNAVAILABLE', 'The landing buffer is closing; retry.', {
          details: { retry_after_seconds: 1 },
        }),
      );
    }

    return new Promise<O[]>((resolve, reject) => {
      this.#queue.push({ items, resolve, reject });
      if (!this.#isScheduled) {
        this.#isScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#isScheduled = false;
    const group = this.#queue;
    this.#queue = [];
    if (group.length === 0) return;

    try {
      const results = this.#write(group.flatMap((waiter) => waiter.items));
      let offset = 0;
      for (const waiter of group) {
        waiter.resolve(results.slice(offset, offset + waiter.items.length));
        offset += waiter.items.length;
      }
    } catch (err) {
      for (const waiter of group) waiter.reject(err);
    }
  }

  /** Flushes what is queued, then refuses new items. */
  close(): void {
    if (this.#queue.length > 0) this.#flush();
    this.#isClosed = true;
  }
}
