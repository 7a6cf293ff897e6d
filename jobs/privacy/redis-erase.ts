import type { Redis } from 'ioredis';
import { profileKeys } from '../publish/index.js';

/** What erasure removed from Redis. */
export interface RedisErasure {
  keys_deleted: number;
  guardian_links_removed: number;
}

async function scanAll(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');

  return found;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

/**
 * Deletes a student's keys in one tenant: the snapshot document in every
 * version, the real-time hash and its dedup sets, the ACL group entry
 * (`serving/session/keys.ts` scheme), and the pseudonym from every guardian's
 * children set. Keys of other students and tenants are never matched: every
 * pattern ends with the pseudonym or names it exactly.
 */
export async function eraseFromRedis(
  redis: Redis,
  prefix: string,
  tenantId: string,
  pseudonym: string,
): Promise<RedisErasure> {
  const keys = profileKeys(prefix, tenantId);
  const base = escapeGlob(keys.base);
  const found = [
    ...(await scanAll(redis, `${base}snap:*:${pseudonym}`)),
    ...(await scanAll(redis, `${base}rt-seen:${pseudonym}:*`)),
  ];
  const exact = [keys.realtime(pseudonym), `${keys.base}acl:student:${pseudonym}`];
  const toDelete = [...new Set([...found, ...exact])];
  const keysDeleted = await redis.del(...toDelete);

  let guardianLinks = 0;
  for (const key of await scanAll(redis, `${base}acl:guardian:*`)) {
    guardianLinks += await redis.srem(key, pseudonym);
  }

  return { keys_deleted: keysDeleted, guardian_links_removed: guardianLinks };
}
