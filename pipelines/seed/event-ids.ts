import { v7 } from 'uuid';
import { hash32, type Rng } from './random.js';

const randomBytes = new Uint8Array(16);

/**
 * A UUIDv7 whose timestamp is the event's own time and whose random bits come
 * from the seed's stream, so a re-run with the same seed produces the same
 * event ids and the ingest path treats a second run as duplicates.
 */
export function seededEventId(occurredMs: number, rng: Rng): string {
  return v7({ msecs: occurredMs, random: rng.fill(randomBytes) });
}

/** A UUIDv7 derived from a stable key (an evaluation id), at the given time. */
export function keyedEventId(occurredMs: number, key: string): string {
  for (let word = 0; word < 4; word += 1) {
    const value = hash32(`${key}#${word}`);
    randomBytes[word * 4] = value & 0xff;
    randomBytes[word * 4 + 1] = (value >>> 8) & 0xff;
    randomBytes[word * 4 + 2] = (value >>> 16) & 0xff;
    randomBytes[word * 4 + 3] = (value >>> 24) & 0xff;
  }

  return v7({ msecs: occurredMs, random: randomBytes });
}
