import type { FaultOptions } from './sim-options.js';

/** What the simulator does to one request before (or after) handling it. */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'error5xx'; status: 500 | 502 | 503 | 504 }
  | { kind: 'hang' }
  | { kind: 'burst429' }
  | { kind: 'drop' };

const errorStatuses = [500, 502, 503, 504] as const;

/**
 * Draws faults from a seeded generator in arrival order. A 429 burst, once
 * started for a credential, covers its next `burst429Length` requests.
 */
export class FaultPlan {
  readonly #options: FaultOptions;
  readonly #random: () => number;
  readonly #startedAt: number;
  readonly #burstLeft = new Map<string, number>();
  #manualMaintenanceUntil = 0;

  constructor(options: FaultOptions, random: () => number, startedAt: number) {
    this.#options = options;
    this.#random = random;
    this.#startedAt = startedAt;
  }

  /** Milliseconds of maintenance left at `now`, or 0. */
  maintenanceLeftMs(now: number): number {
    let left = Math.max(0, this.#manualMaintenanceUntil - now);
    const sinceStart = now - this.#startedAt;
    for (const window of this.#options.maintenance) {
      const end = window.startMs + window.durationMs;
      if (sinceStart >= window.startMs && sinceStart < end) left = Math.max(left, end - sinceStart);
    }

    return left;
  }

  /** Starts a maintenance window now (tests). */
  startMaintenance(now: number, durationMs: number): void {
    this.#manualMaintenanceUntil = now + durationMs;
  }

  /** The fault for a request of `clientId` before it is handled. */
  before(clientId: string): FaultDecision {
    const left = this.#burstLeft.get(clientId) ?? 0;
    if (left > 0) {
      this.#burstLeft.set(clientId, left - 1);

      return { kind: 'burst429' };
    }
    const faults = this.#options;
    if (this.#random() < faults.error5xxRate) {
      const status = errorStatuses[Math.floor(this.#random() * errorStatuses.length)] ?? 500;

      return { kind: 'error5xx', status };
    }
    if (this.#random() < faults.hangRate) return { kind: 'hang' };
    if (this.#random() < faults.burst429Rate) {
      this.#burstLeft.set(clientId, Math.max(0, faults.burst429Length - 1));

      return { kind: 'burst429' };
    }

    return { kind: 'none' };
  }

  /** Whether to drop the connection after the work is done. */
  after(): FaultDecision {
    return this.#random() < this.#options.dropAfterProcessRate
      ? { kind: 'drop' }
      : { kind: 'none' };
  }
}
