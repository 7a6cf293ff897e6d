import { ingestErrors } from '../ingest/errors.js';

interface Waiter<I, O> {
  readonly items: readonly I[];
  resolve(results: O[]): void;
  reject(err: unknown): void;
}

/**
 * Group commit: the items of every `submit` made while a write is in flight
 * (or in the same turn of the event loop) go into the next single write. Each
 * caller's promise settles only after the write holding its items returned, so
 * "resolved" means "durable" when the write fsyncs; one fsync covers many
 * HTTP requests.
 */
export class GroupCommitter<I, O> {
  readonly #write: (items: readonly I[]) => O[] | Promise<O[]>;
  #queue: Waiter<I, O>[] = [];
  #isScheduled = false;
  #isWriting = false;
  #isClosed = false;

  constructor(write: (items: readonly I[]) => O[] | Promise<O[]>) {
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
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#isScheduled || this.#isWriting || this.#queue.length === 0) return;
    this.#isScheduled = true;
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#isScheduled = false;
    const group = this.#queue;
    this.#queue = [];
    this.#isWriting = true;
    try {
      const results = await this.#write(group.flatMap((waiter) => waiter.items));
      let offset = 0;
      for (const waiter of group) {
        waiter.resolve(results.slice(offset, offset + waiter.items.length));
        offset += waiter.items.length;
      }
    } catch (err) {
      for (const waiter of group) waiter.reject(err);
    } finally {
      this.#isWriting = false;
      this.#schedule();
    }
  }

  /** Refuses new items and fails those still queued (none of them was acknowledged). */
  close(): void {
    this.#isClosed = true;
    const queued = this.#queue;
    this.#queue = [];
    const err = ingestErrors.create('BUFFER_ERR_UNAVAILABLE', 'The landing buffer closed; retry.', {
      details: { retry_after_seconds: 1 },
    });
    for (const waiter of queued) waiter.reject(err);
  }
}
