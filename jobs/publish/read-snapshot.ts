import type { Redis } from 'ioredis';
import { defaultKeyPrefix, profileKeys } from './keys.js';
import { type SnapshotDocument, snapshotDocument } from './snapshot-schema.js';

/**
 * Reads one student's current snapshot: the current version and the document
 * in one round trip (a Lua script), validated against the schema. Returns
 * null when the tenant has no published version or the student no document.
 *
 * @example
 * const doc = await readSnapshot(redis, 't-27des0493i', 'p_Zbm8Qo3FAkGhgl_GidP9sH');
 */
export async function readSnapshot(
  redis: Redis,
  tenantId: string,
  student: string,
  options: { keyPrefix?: string } = {},
): Promise<SnapshotDocument | null> {
  const keys = profileKeys(options.keyPrefix ?? defaultKeyPrefix, tenantId);
  const script = `
local version = redis.call('GET', KEYS[1])
if not version then return false end
return redis.call('GET', ARGV[1] .. version .. ':' .. ARGV[2])`;
  const json = (await redis.eval(script, 1, keys.current, `${keys.base}snap:`, student)) as
    | string
    | null;

  return json ? snapshotDocument.parse(JSON.parse(json)) : null;
}
