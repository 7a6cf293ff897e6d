export interface AdaptiveTimeoutOptions {
  /** Never time out sooner than this, however fast the registry answers. */
  readonly floorMs: number;
  /** Never wait longer than this (also the timeout until enough answers are seen). */
  readonly ceilingMs: number;
  /** The timeout is this many times the p99 of recent successful answers. */
  readonly multiplier: number;
  /** Successful latencies kept (the most recent ones). */
  readonly window: number;
  /** Answers needed before the observed p99 replaces the ceiling. */
  readonly minSamples: number;
  /** How often requests in flight are checked against the current timeout. */
  readonly tickMs?: number;
}

interface Watched {
  readonly startedAt: number;
  readonly controller: AbortController;
}

/**
 * A request timeout derived from the registry's observed latency: `multiplier`
 * x the p99 of the last `window` successful answers, kept within
 * [`floorMs`, `ceilingMs`]. A request still unanswered after that is almost
 * surely hung; aborting it frees its in-flight slot and lets the batch be
 * retried (same idempotency key) instead of waiting out a fixed long timeout.
 *
 * A request is held to the timeout as it is while the request waits, not as
 * it was when it left: the first requests of a run leave before any answer
 * is known, and would otherwise all wait out the ceiling.
 */
export class AdaptiveTimeout {
  readonly #options: AdaptiveTimeoutOptions;
  readonly #samples: number[] = [];
  #next = 0;
  #isStale = false;
  #current: number;
  readonly #watched = new Set<Watched>();
  #ticker: NodeJS.Timeout | undefined;

  constructor(options: AdaptiveTimeoutOptions) {
    if (options.floorMs <= 0 || options.ceilingMs < options.floorMs || options.window < 1) {
      throw new Error('an adaptive timeout needs 0 < floor <= ceiling and a window of 1 or more');
    }
    this.#options = options;
    this.#current = options.ceilingMs;
  }

  /** Records the latency of a successful answer. */
  record(latencyMs: number): void {
    if (this.#samples.length < this.#options.window) this.#samples.push(latencyMs);
    else this.#samples[this.#next] = latencyMs;
    this.#next = (this.#next + 1) % this.#options.window;
    this.#isStale = true;
  }

  /** The timeout for a request now, in milliseconds (recomputed lazily after new answers). */
  current(): number {
    if (this.#isStale) this.#recompute();

    return this.#current;
  }

  /**
   * A signal for a request leaving now: it aborts (a `TimeoutError`) once the
   * request has waited longer than the current timeout. Call `release` when
   * the request is over.
   */
  watch(): { signal: AbortSignal; release: () => void } {
    const watched = { startedAt: performance.now(), controller: new AbortController() };
    this.#watched.add(watched);
    this.#ticker ??= setInterval(() => this.#abortOverdue(), this.#options.tickMs ?? 100);

    return {
      signal: watched.controller.signal,
      release: () => {
        this.#watched.delete(watched);
        if (this.#watched.size === 0 && this.#ticker) {
          clearInterval(this.#ticker);
          this.#ticker = undefined;
        }
      },
    };
  }

  /** The p99 of the kept latencies, or null before `minSamples` answers. */
  p99(): number | null {
    if (this.#samples.length < this.#options.minSamples) return null;
    const sorted = [...this.#samples].sort((a, b) => a - b);

    return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? null;
  }

  #abortOverdue(): void {
    const now = performance.now();
    const timeoutMs = this.current();
    for (const watched of this.#watched) {
      if (now - watched.startedAt < timeoutMs) continue;
      watched.controller.abort(new DOMException('no answer within the timeout', 'TimeoutError'));
      this.#watched.delete(watched);
    }
  }

  #recompute(): void {
    this.#isStale = false;
    const p99 = this.p99();
    if (p99 === null) return;
    const { floorMs, ceilingMs, multiplier } = this.#options;
    // Whole milliseconds: AbortSignal.timeout refuses a fractional delay.
    this.#current = Math.ceil(Math.min(ceilingMs, Math.max(floorMs, p99 * multiplier)));
  }
}
