/** A clock in milliseconds; tests pass a fake one. */
export type Clock = () => number;

export interface TokenBucketOptions {
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** Most tokens the bucket holds (the burst). */
  readonly burst: number;
  readonly clock?: Clock;
}

/**
 * A token bucket: `burst` tokens at most, refilled continuously at
 * `ratePerSecond`. The registry simulator uses `tryTake` to refuse requests
 * past the limit; the sync client uses `take` to wait for its turn, and
 * `pauseUntil` to honour a `Retry-After`.
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #updatedAt: number;
  #pausedUntil = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: TokenBucketOptions) {
    if (options.ratePerSecond <= 0 || options.burst < 1) {
      throw new Error('a token bucket needs a positive rate and a burst of at least 1');
    }
    this.#rate = options.ratePerSecond;
    this.#burst = options.burst;
    this.#clock = options.clock ?? (() => performance.now());
    this.#tokens = options.burst;
    this.#updatedAt = this.#clock();
  }

  /** Takes a token if one is there; otherwise returns the seconds until one will be. */
  tryTake(): { taken: true } | { taken: false; retryAfterSeconds: number } {
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;

      return { taken: true };
    }

    return { taken: false, retryAfterSeconds: (1 - this.#tokens) / this.#rate };
  }

  /** Waits until a token is available (and any pause is over), then takes it. Callers queue FIFO. */
  take(): Promise<void> {
    const turn = this.#queue.then(() => this.#waitAndTake());
    this.#queue = turn.catch(() => undefined);

    return turn;
  }

  /** Stops handing out tokens until `until` (clock time), e.g. after a 429 with Retry-After. */
  pauseUntil(until: number): void {
    if (until > this.#pausedUntil) this.#pausedUntil = until;
    this.#tokens = Math.min(this.#tokens, 0);
  }

  /** Stops handing out tokens for `ms` milliseconds from now. */
  pauseFor(ms: number): void {
    this.pauseUntil(this.#clock() + ms);
  }

  /** Tokens in the bucket now (fractional). */
  available(): number {
    this.#refill();

    return this.#tokens;
  }

  async #waitAndTake(): Promise<void> {
    for (;;) {
      const now = this.#clock();
      if (now < this.#pausedUntil) {
        await sleep(this.#pausedUntil - now);
        continue;
      }
      const attempt = this.tryTake();
      if (attempt.taken) return;
      await sleep(Math.max(1, attempt.retryAfterSeconds * 1000));
    }
  }

  #refill(): void {
    const now = this.#clock();
    const elapsed = Math.max(0, now - this.#updatedAt) / 1000;
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#rate);
    this.#updatedAt = now;
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
