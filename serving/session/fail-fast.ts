/**
 * A small circuit breaker for the snapshot store. After `threshold`
 * consecutive failures it opens for `openMs`: calls fail at once instead of
 * each waiting out the command timeout, so a hung Redis still answers 503 in
 * well under 100 ms. Then one call probes; its success closes the breaker.
 */
export class FailFast {
  readonly #threshold: number;
  readonly #openMs: number;
  #failures = 0;
  #openUntil = 0;
  #probing = false;

  constructor(options: { threshold?: number; openMs?: number } = {}) {
    this.#threshold = options.threshold ?? 5;
    this.#openMs = options.openMs ?? 250;
  }

  /** False while calls should not even be tried. Claims the probe when half-open. */
  admit(now = performance.now()): boolean {
    if (this.#failures < this.#threshold) return true;
    if (now < this.#openUntil || this.#probing) return false;
    this.#probing = true;

    return true;
  }

  succeeded(): void {
    this.#failures = 0;
    this.#probing = false;
  }

  failed(now = performance.now()): void {
    this.#failures += 1;
    this.#probing = false;
    if (this.#failures >= this.#threshold) this.#openUntil = now + this.#openMs;
  }

  get isOpen(): boolean {
    return this.#failures >= this.#threshold;
  }
}
