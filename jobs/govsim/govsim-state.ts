import { TokenBucket } from '../sync/index.js';
import { FaultPlan } from './fault-plan.js';
import { RegistryStore } from './registry-store.js';
import { seededRandom, stableFraction } from './seeded-random.js';
import type { GovsimOptions } from './sim-options.js';
import { emptyStats, type GovsimStats } from './sim-stats.js';

/** Everything one simulator instance holds: options, memory, faults, limits and counters. */
export class GovsimState {
  readonly options: GovsimOptions;
  readonly store = new RegistryStore();
  readonly stats: GovsimStats = emptyStats();
  readonly faults: FaultPlan;
  readonly subjects: ReadonlySet<string>;
  readonly clock: () => number;
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #enrolled: ReadonlySet<string> | undefined;

  constructor(options: GovsimOptions, clock: () => number = Date.now) {
    this.options = options;
    this.clock = clock;
    this.faults = new FaultPlan(options.faults, seededRandom(options.seed), clock());
    this.subjects = new Set(options.subjects);
    const curps = options.enrollment.curps;
    this.#enrolled = curps ? new Set(curps) : undefined;
  }

  /** The credential's token bucket at the configured limit. */
  bucketFor(clientId: string): TokenBucket {
    let bucket = this.#buckets.get(clientId);
    if (!bucket) {
      bucket = new TokenBucket({
        ratePerSecond: this.options.ratePerSecond,
        burst: this.options.burst,
      });
      this.#buckets.set(clientId, bucket);
    }

    return bucket;
  }

  isEnrolled(curp: string): boolean {
    if (this.#enrolled) return this.#enrolled.has(curp);
    const share = this.options.enrollment.notEnrolledShare ?? 0;

    return stableFraction(this.options.seed, curp) >= share;
  }

  isKnownClient(clientId: string, secret: string): boolean {
    return this.options.credentials[clientId] === secret;
  }

  count(key: keyof GovsimStats['faults']): void {
    this.stats.faults[key] += 1;
  }
}
