import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Ids kept per tenant in the pseudonym cache (a map per tenant: no key string to build). */
const maxCachedPerTenant = 50_000;
/** Tenants kept in the cache; beyond it the whole cache starts again. */
const maxCachedTenants = 1000;

/**
 * Keyed pseudonyms for student and actor ids. Each tenant has its own key,
 * derived from a master secret, so the same student id in two tenants maps to
 * unrelated pseudonyms and nobody without the key can reverse or link them.
 * In the cloud the master secret lives in Secrets Manager; locally it is
 * `secrets/pseudonym.key` under the data directory (or `LUCA_PSEUDONYM_KEY`).
 */
export class Pseudonymizer {
  readonly #master: Buffer;
  readonly #tenantKeys = new Map<string, Buffer>();
  /** Per tenant, id to pseudonym; bounded, see `maxCachedPerTenant`. */
  readonly #cache = new Map<string, Map<string, string>>();

  constructor(masterKey: Buffer) {
    if (masterKey.length < 32) throw new Error('pseudonym master key must be at least 32 bytes');
    this.#master = masterKey;
  }

  /** The tenant's pseudonym for an id: `p_` and 22 base64url characters (132 bits). */
  pseudonym(tenantId: string, id: string): string {
    let cache = this.#cache.get(tenantId);
    if (!cache) {
      if (this.#cache.size >= maxCachedTenants) this.#cache.clear();
      cache = new Map();
      this.#cache.set(tenantId, cache);
    }
    const cached = cache.get(id);
    if (cached) return cached;

    const digest = createHmac('sha256', this.#tenantKey(tenantId)).update(id).digest('base64url');
    const value = `p_${digest.slice(0, 22)}`;
    // Cleared when full rather than LRU: one HMAC per id refills it, and a
    // school's active students (a few thousand) fit many times over.
    if (cache.size >= maxCachedPerTenant) cache.clear();
    cache.set(id, value);

    return value;
  }

  #tenantKey(tenantId: string): Buffer {
    let key = this.#tenantKeys.get(tenantId);
    if (!key) {
      key = createHmac('sha256', this.#master).update(`tenant:${tenantId}`).digest();
      this.#tenantKeys.set(tenantId, key);
    }

    return key;
  }
}

/** Loads the master key from `LUCA_PSEUDONYM_KEY` (hex) or the secrets dir, creating it once. */
export function loadPseudonymizer(secretsDir: string): Pseudonymizer {
  const fromEnv = process.env.LUCA_PSEUDONYM_KEY;
  if (fromEnv) return new Pseudonymizer(Buffer.from(fromEnv, 'hex'));

  const file = join(secretsDir, 'pseudonym.key');
  if (!existsSync(file)) {
    mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }

  return new Pseudonymizer(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
}
