/**
 * A small seeded pseudo-random generator (sfc32, seeded through a string hash),
 * so the seed never depends on `Math.random` and the same seed gives the same
 * output. Every unit of work (a school, a student's day, a class) derives its own
 * stream from the seed and a label, so the output does not depend on the order
 * in which units are generated or on how many were generated before.
 */

/** 128 bits of hash from a string (cyrb128-style mixing), as four uint32. */
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = h2 ^ Math.imul(h1 ^ code, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ code, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ code, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ code, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);

  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/** A 32-bit unsigned hash of a string, for stable per-key choices (topic difficulty...). */
export function hash32(text: string): number {
  return hash128(text)[0];
}

/** A seeded stream of pseudo-random numbers (sfc32). */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** A stream for `seed` and a label made of `parts` (school, student, date...). */
  constructor(seed: string | number, ...parts: (string | number)[]) {
    [this.#a, this.#b, this.#c, this.#d] = hash128([seed, ...parts].join('\u001f'));
    for (let warm = 0; warm < 12; warm += 1) this.uint32();
  }

  /** The next unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;

    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('cannot pick from an empty list');

    return item;
  }

  /** A standard normal draw (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();

    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An exponential draw with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Fills `bytes` with pseudo-random bytes and returns it. */
  fill(bytes: Uint8Array): Uint8Array {
    for (let index = 0; index < bytes.length; index += 4) {
      const word = this.uint32();
      bytes[index] = word & 0xff;
      bytes[index + 1] = (word >>> 8) & 0xff;
      bytes[index + 2] = (word >>> 16) & 0xff;
      bytes[index + 3] = (word >>> 24) & 0xff;
    }

    return bytes;
  }
}
