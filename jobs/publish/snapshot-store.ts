import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { publishErrors } from './errors.js';
import type { ProfileKeys } from './keys.js';

/** Lifetimes of published keys. */
export interface SnapshotLifetimes {
  /**
   * TTL every new document is written with: the safety net that removes the
   * documents of a publish that died half-way. Must exceed the publish interval.
   */
  documentSeconds: number;
  /** How long the previous version stays readable after the switch (in-flight reads). */
  previousVersionSeconds: number;
}

export const defaultLifetimes: SnapshotLifetimes = {
  documentSeconds: 8 * 86_400,
  previousVersionSeconds: 300,
};

const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** Takes the tenant's publish lock or fails with `PUBLISH_ERR_LOCKED`; returns its release. */
export async function acquirePublishLock(redis: Redis, keys: ProfileKeys, ttlMs = 600_000) {
  const token = randomBytes(12).toString('hex');
  const taken = await redis.set(keys.lock, token, 'PX', ttlMs, 'NX');
  if (taken !== 'OK') {
    throw publishErrors.create(
      'PUBLISH_ERR_LOCKED',
      'Another publish of this tenant is running; wait for it or let its lock expire (10 min).',
    );
  }

  return async () => {
    await redis.eval(releaseScript, 1, keys.lock, token);
  };
}

/** A document ready to write: the student pseudonym and the JSON as UTF-8 bytes. */
export type DocumentEntry = readonly [student: string, json: Buffer];

/**
 * Gives every key of KEYS the TTL ARGV[1]. Sent with the MSET of the same
 * keys inside one MULTI, so a batch is stored with its TTL or not at all.
 */
const expireKeysScript = `
for i = 1, #KEYS do
  redis.call('EXPIRE', KEYS[i], ARGV[1])
end
return #KEYS`;

/** One batch: its keys, and keys and documents interleaved as MSET takes them. */
interface Batch {
  keys: string[];
  pairs: (string | Buffer)[];
}

/** Documents built between two yields to the event loop (lets a batch in flight keep sending). */
const documentsPerSlice = 100;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function takeBatch(
  entries: Iterator<DocumentEntry>,
  keyOf: (student: string) => string,
  size: number,
  timing: { build_ms: number },
): Promise<Batch> {
  const batch: Batch = { keys: [], pairs: [] };
  let started = performance.now();
  while (batch.keys.length < size) {
    const next = entries.next();
    if (next.done) break;
    const [student, json] = next.value;
    const key = keyOf(student);
    batch.keys.push(key);
    batch.pairs.push(key, json);
    if (batch.keys.length % documentsPerSlice === 0) {
      timing.build_ms += performance.now() - started;
      await yieldToEventLoop();
      started = performance.now();
    }
  }
  timing.build_ms += performance.now() - started;

  return batch;
}

async function storeBatch(redis: Redis, batch: Batch, seconds: number): Promise<void> {
  const results = await redis
    .multi()
    .mset(batch.pairs)
    .eval(expireKeysScript, batch.keys.length, ...batch.keys, seconds)
    .exec();
  const failed = results?.find(([err]) => err);
  if (failed) throw failed[0];
}

/** What `writeVersion` did: documents written and the time spent building them. */
export interface WriteSummary {
  written: number;
  /** Time spent pulling documents from `entries` (building them), overlapped with the writes. */
  build_ms: number;
}

/**
 * Writes one version's documents in batches: each batch is one MULTI of an
 * MSET and a script that sets every key's TTL, so Redis stores it whole. The
 * next batch is built while Redis stores the current one; only one batch is
 * in flight, so a publish that fails stops after the batch it was writing.
 * Nothing points at the version until `switchCurrent`, so readers never see a
 * half-written one.
 */
export async function writeVersion(
  redis: Redis,
  keys: ProfileKeys,
  version: string,
  entries: Iterable<DocumentEntry>,
  options: {
    batchSize: number;
    lifetimes: SnapshotLifetimes;
    onBatch?: (written: number) => unknown;
  },
): Promise<WriteSummary> {
  const iterator = entries[Symbol.iterator]();
  const keyOf = (student: string) => keys.snapshot(version, student);
  const summary: WriteSummary = { written: 0, build_ms: 0 };
  const take = () => takeBatch(iterator, keyOf, options.batchSize, summary);

  let batch = await take();
  while (batch.keys.length > 0) {
    const stored = storeBatch(redis, batch, options.lifetimes.documentSeconds);
    // Handled now, awaited below: a failure while the next batch is built is not unhandled.
    stored.catch(() => undefined);
    const next = await take();
    await stored;
    summary.written += batch.keys.length;
    await options.onBatch?.(summary.written);
    batch = next;
  }

  return summary;
}

/** Points `current` at the new version in one command; returns the previous one. */
export async function switchCurrent(redis: Redis, keys: ProfileKeys, version: string) {
  return redis.set(keys.current, version, 'GET');
}

/** The version readers are served now, or null. */
export async function currentVersion(redis: Redis, keys: ProfileKeys): Promise<string | null> {
  return redis.get(keys.current);
}

/**
 * Shortens the TTL of every document of `version` to `seconds` (never
 * lengthens it: `EXPIRE ... LT`). Used on the previous version after a switch
 * and on a version whose publish failed. Returns how many keys it touched.
 */
export async function expireVersion(
  redis: Redis,
  keys: ProfileKeys,
  version: string,
  seconds: number,
): Promise<number> {
  let cursor = '0';
  let touched = 0;
  do {
    const [next, batch] = await redis.scan(
      cursor,
      'MATCH',
      keys.versionPattern(version),
      'COUNT',
      5000,
    );
    cursor = next;
    if (batch.length === 0) continue;
    const pipeline = redis.pipeline();
    for (const key of batch) pipeline.expire(key, seconds, 'LT');
    await pipeline.exec();
    touched += batch.length;
  } while (cursor !== '0');

  return touched;
}
