import type { Redis } from 'ioredis';
import type { Guardian, Pseudonymizer, Student, Teacher } from '../../core/index.js';
import { tenantKeys } from '../session/keys.js';

/** The roster entities the ACL needs (schools and groups carry no relationship). */
export interface RosterEntities {
  readonly students: readonly Student[];
  readonly teachers: readonly Teacher[];
  readonly guardians: readonly Guardian[];
}

/** What one load wrote. */
export interface AclLoadSummary {
  readonly tenants: number;
  readonly students: number;
  readonly teachers: number;
  readonly guardians: number;
  readonly staleKeysRemoved: number;
  readonly durationMs: number;
}

type Commands = [string, ...(string | number)[]][];

function tenantCommands(
  prefix: string,
  tenantId: string,
  entities: RosterEntities,
  pseudonymizer: Pseudonymizer,
): Map<string, Commands> {
  const keys = tenantKeys(prefix, tenantId);
  const byKey = new Map<string, Commands>();
  const student = (id: string) => pseudonymizer.pseudonym(tenantId, id);
  for (const row of entities.students.filter((s) => s.tenant_id === tenantId)) {
    const key = keys.studentGroup(student(row.student_id));
    byKey.set(key, [['set', key, row.group_id]]);
  }
  for (const row of entities.teachers.filter((t) => t.tenant_id === tenantId)) {
    const key = keys.teacherGroups(student(row.teacher_id));
    const add: Commands = row.group_ids.length > 0 ? [['sadd', key, ...row.group_ids]] : [];
    byKey.set(key, [['del', key], ...add]);
  }
  for (const row of entities.guardians.filter((g) => g.tenant_id === tenantId)) {
    const key = keys.guardianChildren(student(row.guardian_id));
    byKey.set(key, [
      ['del', key],
      ['sadd', key, ...row.student_ids.map(student)],
    ]);
  }

  return byKey;
}

async function existingAclKeys(redis: Redis, base: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${base}acl:*`, 'COUNT', 1000);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');

  return found;
}

async function writeInChunks(redis: Redis, commands: Commands): Promise<void> {
  for (let start = 0; start < commands.length; start += 2_000) {
    // MULTI per chunk: each key's DEL and SADD land together, never half a set.
    await redis.multi(commands.slice(start, start + 2_000)).exec();
  }
}

/**
 * Precomputes the roster relationships the read path checks into Redis, per
 * tenant: student → group (`acl:student:<p>`), teacher → groups
 * (`acl:teacher:<p>`), guardian → children (`acl:guardian:<p>`). Only
 * pseudonyms and group ids are stored, never names. A full reload: keys of
 * people no longer in the roster are removed.
 *
 * @example
 * await loadAclFromRoster(redis, 'luca:', roster, pseudonymizer);
 */
export async function loadAclFromRoster(
  redis: Redis,
  prefix: string,
  entities: RosterEntities,
  pseudonymizer: Pseudonymizer,
): Promise<AclLoadSummary> {
  const started = performance.now();
  const tenants = new Set(
    [...entities.students, ...entities.teachers, ...entities.guardians].map((e) => e.tenant_id),
  );
  let staleKeysRemoved = 0;
  for (const tenantId of tenants) {
    const byKey = tenantCommands(prefix, tenantId, entities, pseudonymizer);
    const stale = (await existingAclKeys(redis, tenantKeys(prefix, tenantId).base)).filter(
      (key) => !byKey.has(key),
    );
    const commands: Commands = [...byKey.values()].flat();
    if (stale.length > 0) commands.push(['del', ...stale] as Commands[number]);
    await writeInChunks(redis, commands);
    staleKeysRemoved += stale.length;
  }

  return {
    tenants: tenants.size,
    students: entities.students.length,
    teachers: entities.teachers.length,
    guardians: entities.guardians.length,
    staleKeysRemoved,
    durationMs: Math.round(performance.now() - started),
  };
}
