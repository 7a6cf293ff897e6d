import type { Redis } from 'ioredis';
import { sessionErrors } from './errors.js';
import { FailFast } from './fail-fast.js';
import { currentVersionKey, type TenantKeys, tenantBase, tenantKeys } from './keys.js';

/**
 * One round trip per read: resolves the current snapshot version, checks the
 * caller's relationship to each student, and returns the snapshot and the
 * real-time hash of every student the caller may see. Every key is built from
 * the tenant base, so all of them share the `{tenant}` hash slot of KEYS[1].
 *
 * KEYS[1] current version key.
 * ARGV[1] tenant base, ARGV[2] mode (self | children | groups | tenant),
 * ARGV[3] caller pseudonym, ARGV[4..] student pseudonyms.
 * Per student: { exists, allowed, snapshot?, realtime? }.
 */
const readSessionLua = `
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
  local item = {0, allowed}
  if version then
    local snapshotKey = base .. 'snap:' .. version .. ':' .. student
    if allowed == 1 then
      local doc = redis.call('GET', snapshotKey)
      if doc then
        item = {1, 1, doc, redis.call('HGETALL', base .. 'rt:' .. student)}
      end
    else
      item = {redis.call('EXISTS', snapshotKey), 0}
    end
  end
  out[#out + 1] = item
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
  readonly snapshot: string | undefined;
  readonly realtime: readonly string[] | undefined;
}

export interface ReadResult {
  readonly version: string | null;
  readonly students: readonly StudentRead[];
}

type ScriptReply = [string | null, [number, number, string?, string[]?][]];
type ScriptClient = Redis & {
  lucaReadSession(key: string, ...args: string[]): Promise<ScriptReply>;
};

/** Observes how long each Redis call took (seconds), e.g. into a histogram. */
export type RedisTimer = (command: string, seconds: number, ok: boolean) => void;

/**
 * The read side of the snapshot store. The script is registered with
 * `defineCommand`, so ioredis sends EVALSHA and falls back to EVAL (which loads
 * the script again) when Redis answers NOSCRIPT after a restart or flush.
 */
export class SessionStore {
  readonly #redis: ScriptClient;
  readonly #prefix: string;
  readonly #timer: RedisTimer | undefined;
  readonly #breaker = new FailFast();

  constructor(redis: Redis, options: { prefix: string; timer?: RedisTimer }) {
    redis.defineCommand('lucaReadSession', { numberOfKeys: 1, lua: readSessionLua });
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

  /** Reads up to 50 students of one tenant in one round trip. */
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
    let reply: ScriptReply;
    try {
      reply = await this.#redis.lucaReadSession(
        currentVersionKey(base),
        base,
        mode,
        callerPseudonym,
        ...studentPseudonyms,
      );
      this.#breaker.succeeded();
      this.#timer?.('read_session', (performance.now() - started) / 1000, true);
    } catch (cause) {
      this.#breaker.failed();
      this.#timer?.('read_session', (performance.now() - started) / 1000, false);
      throw unavailable(cause);
    }

    return toResult(reply, studentPseudonyms);
  }
}

function unavailable(cause: unknown) {
  return sessionErrors.create('SESSION_ERR_STORE_UNAVAILABLE', 'Retry after a second.', {
    cause,
    details: { retry_after_seconds: 1 },
  });
}

function toResult(reply: ScriptReply, pseudonyms: readonly string[]): ReadResult {
  const [version, items] = reply;

  const students: StudentRead[] = [];
  for (let index = 0; index < pseudonyms.length; index++) {
    const [exists, allowed, snapshot, realtime] = items[index] ?? [0, 0];
    const studentPseudonym = pseudonyms[index] as string;
    students.push({
      studentPseudonym,
      exists: exists === 1,
      allowed: allowed === 1,
      snapshot,
      realtime,
    });
  }

  return { version: version ?? null, students };
}
