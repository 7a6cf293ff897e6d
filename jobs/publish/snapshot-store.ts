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

/** A document ready to write: the student pseudonym and the JSON text. */
export type DocumentEntry = readonly [student: string, json: string];

/**
 * Writes one version's documents in pipelined batches. Nothing points at the
 * version until `switchCurrent`, so readers never see a half-written one.
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
): Promise<number> {
  let written = 0;
  let pipeline = redis.pipeline();
  let pending = 0;
  const flush = async () => {
    const results = await pipeline.exec();
    const failed = results?.find(([err]) => err);
    if (failed) throw failed[0];
    written += pending;
    pending = 0;
    pipeline = redis.pipeline();
    await options.onBatch?.(written);
  };

  for (const [student, json] of entries) {
    pipeline.set(keys.snapshot(version, student), json, 'EX', options.lifetimes.documentSeconds);
    pending += 1;
    if (pending >= options.batchSize) await flush();
  }
  if (pending > 0) await flush();

  return written;
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
