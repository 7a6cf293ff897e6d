import type { Redis } from 'ioredis';
import { sessionErrors } from './errors.js';
import { FailFast } from './fail-fast.js';
import { currentVersionKey, type TenantKeys, tenantBase, tenantKeys } from './keys.js';

/**
 * The access part of a read, in one script: resolves the current snapshot
 * version and checks the caller's relationship to each student. Every key is
 * built from the tenant base, so all of them share the `{tenant}` hash slot
 * of KEYS[1]. The documents themselves are not read here: a plain GET sent
 * in the same round trip fetches them (a 9 KB document copied into Lua and
 * back cost Redis about 12 µs a read; `SessionStore.read`).
 *
 * KEYS[1] current version key.
 * ARGV[1] tenant base, ARGV[2] mode (self | children | groups | tenant),
 * ARGV[3] caller pseudonym, ARGV[4..] student pseudonyms.
 * Per student: { 1, real-time hash } when allowed, { 0, document exists }
 * when not (the audit tells a denial from an unknown student).
 */
const readAccessLua = `
local base = ARGV[1]
local mode = ARGV[2]
local caller = ARGV[3]
local version = redis.call('GET', KEYS[1])
local out = {}
for i = 4, #ARGV do
  local student = ARGV[i]
  local allowed = 0
  if mode == 'tenant' then
    allowed = 1
  elseif mode == 'self' then
    if caller == student then allowed = 1 end
  elseif mode == 'children' then
    allowed = redis.call('SISMEMBER', base .. 'acl:guardian:' .. caller, student)
  elseif mode == 'groups' then
    local group = redis.call('GET', base .. 'acl:student:' .. student)
    if group then
      allowed = redis.call('SISMEMBER', base .. 'acl:teacher:' .. caller, group)
    end
  end
  if allowed == 1 then
    out[#out + 1] = {1, redis.call('HGETALL', base .. 'rt:' .. student)}
  elseif version then
    out[#out + 1] = {0, redis.call('EXISTS', base .. 'snap:' .. version .. ':' .. student)}
  else
    out[#out + 1] = {0, 0}
  end
end
return {version, out}
`;

/** How a role's reads reach, as the script understands it. */
export type ReadMode = 'self' | 'children' | 'groups' | 'tenant';

/** What the store returns for one student. */
export interface StudentRead {
  readonly studentPseudonym: string;
  readonly exists: boolean;
  readonly allowed: boolean;
  /** The stored document's bytes, as Redis holds them. */
  readonly snapshot: Buffer | undefined;
  readonly realtime: readonly string[] | undefined;
}

export interface ReadResult {
  readonly version: string | null;
  readonly students: readonly StudentRead[];
}

/** Per student: `[1, real-time hash]` when allowed, `[0, 1 | 0]` (document exists) when not. */
type AccessReply = [string | null, [number, number | string[]][]];
type ScriptClient = Redis & {
  lucaReadAccess(key: string, ...args: string[]): Promise<AccessReply>;
};

/** Observes how long each Redis call took (seconds), e.g. into a histogram. */
export type RedisTimer = (command: string, seconds: number, ok: boolean) => void;

/** Tenants whose served version a store remembers; beyond it, it starts over. */
const maxRememberedTenants = 10_000;

/**
 * The read side of the snapshot store. The access script is registered with
 * `defineCommand`, so ioredis sends EVALSHA and falls back to EVAL (which
 * loads the script again) when Redis answers NOSCRIPT after a restart or
 * flush.
 */
export class SessionStore {
  readonly #redis: ScriptClient;
  readonly #prefix: string;
  readonly #timer: RedisTimer | undefined;
  readonly #breaker = new FailFast();
  /** The version each tenant served at its last read here. */
  readonly #versions = new Map<string, string>();

  constructor(redis: Redis, options: { prefix: string; timer?: RedisTimer }) {
    redis.defineCommand('lucaReadAccess', { numberOfKeys: 1, lua: readAccessLua });
    this.#redis = redis as ScriptClient;
    this.#prefix = options.prefix;
    this.#timer = options.timer;
  }

  get redis(): Redis {
    return this.#redis;
  }

  keys(tenantId: string): TenantKeys {
    return tenantKeys(this.#prefix, tenantId);
  }

  /**
   * Reads up to 50 students of one tenant: the access script and an MGET of
   * the documents under the version this tenant served last, in one round
   * trip. The script says which version is current; documents fetched under
   * another one are dropped and fetched again under the current one (a second
   * round trip, once per tenant after each publish). Documents of students
   * the caller may not see are fetched too, and never leave the store.
   */
  async read(
    tenantId: string,
    mode: ReadMode,
    callerPseudonym: string,
    studentPseudonyms: readonly string[],
  ): Promise<ReadResult> {
    // Two strings rather than `keys(tenantId)`: no closures built per read.
    const base = tenantBase(this.#prefix, tenantId);
    if (this.#redis.status !== 'ready' || !this.#breaker.admit()) {
      this.#timer?.('read_session', 0, false);
      throw unavailable(new Error(`redis ${this.#redis.status}, breaker open`));
    }
    const started = performance.now();
    try {
      const result = await this.#readBoth(tenantId, base, mode, callerPseudonym, studentPseudonyms);
      this.#breaker.succeeded();
      this.#timer?.('read_session', (performance.now() - started) / 1000, true);

      return result;
    } catch (cause) {
      this.#breaker.failed();
      this.#timer?.('read_session', (performance.now() - started) / 1000, false);
      throw unavailable(cause);
    }
  }

  async #readBoth(
    tenantId: string,
    base: string,
    mode: ReadMode,
    caller: string,
    students: readonly string[],
  ): Promise<ReadResult> {
    const remembered = this.#versions.get(tenantId);
    const access = this.#redis.lucaReadAccess(
      currentVersionKey(base),
      base,
      mode,
      caller,
      ...students,
    );
    const early =
      remembered === undefined ? undefined : this.#documents(base, remembered, students);
    // Handled now, awaited below: a failed script must not leave this one unhandled.
    early?.catch(() => undefined);
    const [version, items] = await access;
    let documents = early ? await early : undefined;
    if (version !== null && version !== remembered) {
      this.#remember(tenantId, version);
      const isAnyAllowed = items.some((item) => item[0] === 1);
      documents = isAnyAllowed ? await this.#documents(base, version, students) : undefined;
    }

    return toResult(version, items, version === null ? undefined : documents, students);
  }

  #documents(base: string, version: string, students: readonly string[]) {
    const keys = students.map((student) => `${base}snap:${version}:${student}`);

    return this.#redis.mgetBuffer(keys);
  }

  #remember(tenantId: string, version: string): void {
    if (this.#versions.size >= maxRememberedTenants) this.#versions.clear();
    this.#versions.set(tenantId, version);
  }
}

function unavailable(cause: unknown) {
  return sessionErrors.create('SESSION_ERR_STORE_UNAVAILABLE', 'Retry after a second.', {
    cause,
    details: { retry_after_seconds: 1 },
  });
}

function toResult(
  version: string | null,
  items: AccessReply[1],
  documents: readonly (Buffer | null)[] | undefined,
  pseudonyms: readonly string[],
): ReadResult {
  const students: StudentRead[] = [];
  for (let index = 0; index < pseudonyms.length; index++) {
    const [allowed, second] = items[index] ?? [0, 0];
    const studentPseudonym = pseudonyms[index] as string;
    if (allowed === 1) {
      const snapshot = documents?.[index] ?? undefined;
      const realtime = second as string[];
      students.push({ studentPseudonym, exists: !!snapshot, allowed: true, snapshot, realtime });
    } else {
      const exists = second === 1;
      students.push({
        studentPseudonym,
        exists,
        allowed: false,
        snapshot: undefined,
        realtime: undefined,
      });
    }
  }

  return { version: version ?? null, students };
}
