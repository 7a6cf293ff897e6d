/** A shared view to read a double's bits for hashing. */
const float = new Float64Array(1);
const bits = new Uint32Array(float.buffer);

/** Mixes a 32-bit word so every bit reaches the low bits the table indexes by (murmur3's finalizer). */
function mix(word: number): number {
  let hash = Math.imul(word ^ (word >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);

  return hash ^ (hash >>> 16);
}

function hashOf(first: number, second: number): number {
  float[0] = first;
  let hash = mix((bits[0] as number) ^ mix(bits[1] as number));
  float[0] = second;
  hash = mix(hash ^ (bits[0] as number) ^ mix(bits[1] as number));

  return hash;
}

/** Same number, NaN included (a missing value is NaN in the feature rows). */
function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * The UTF-8 bytes of feature-list entries, kept by two numbers (for a
 * feature: its event count and value). Entries repeat across students: in the
 * bench lake, 10 of 12 features and mastery have at most 1,200 distinct
 * entries for 20,000 students, so most of a document is copied from here.
 *
 * An open-addressing table over typed arrays: a `Map` of `Map`s keyed by
 * doubles cost about 100 ns a lookup, a third of the build. A cache that
 * finds fewer than half of its first 1,024 lookups (a value that rarely
 * repeats, like minutes) stops caching: keeping every entry cost more than
 * building them.
 */
export class EntryCache {
  readonly #slots: number;
  readonly #firsts: Float64Array;
  readonly #seconds: Float64Array;
  readonly #entries: (Uint8Array | undefined)[];
  #size = 0;
  #lookups = 0;
  #hits = 0;
  #isOff = false;

  /** Keeps at most half of `slots` (a power of two) entries; later ones are not kept. */
  constructor(slots = 16_384) {
    this.#slots = slots;
    this.#firsts = new Float64Array(slots);
    this.#seconds = new Float64Array(slots);
    this.#entries = new Array<Uint8Array | undefined>(slots).fill(undefined);
  }

  #slotOf(first: number, second: number): number {
    const mask = this.#slots - 1;
    let slot = hashOf(first, second) & mask;
    for (;;) {
      if (this.#entries[slot] === undefined) return slot;
      if (same(this.#firsts[slot] as number, first) && same(this.#seconds[slot] as number, second))
        return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** Whether `keep` would keep a new entry (the cache is on and has room). */
  get isKeeping(): boolean {
    return !this.#isOff && this.#size < this.#slots / 2;
  }

  get(first: number, second: number): Uint8Array | undefined {
    if (this.#isOff) return undefined;
    const entry = this.#entries[this.#slotOf(first, second)];
    this.#lookups += 1;
    if (entry !== undefined) this.#hits += 1;
    if (this.#lookups === 1024) this.#isOff = this.#hits < 512;

    return entry;
  }

  /** Keeps `text` under the two numbers and returns its bytes; undefined when it is not kept. */
  keep(first: number, second: number, text: string): Uint8Array | undefined {
    if (!this.isKeeping) return undefined;
    const slot = this.#slotOf(first, second);
    if (this.#entries[slot] === undefined) this.#size += 1;
    const entry = Buffer.from(text, 'utf8');
    this.#firsts[slot] = first;
    this.#seconds[slot] = second;
    this.#entries[slot] = entry;

    return entry;
  }
}
