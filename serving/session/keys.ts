/** Default prefix of every serving key in Redis (configurable per deployment). */
export const defaultKeyPrefix = 'luca:';

/**
 * The Redis key scheme of one tenant. Every key carries the `{tenant}` hash tag,
 * so a tenant's snapshots, real-time signals and ACL sit in one cluster slot and
 * one Lua script may read them all.
 */
export interface TenantKeys {
  /** `<prefix>{<tenant>}:` — the start of every key of the tenant. */
  readonly base: string;
  /** Holds the id of the snapshot version being served. */
  readonly currentVersion: string;
  snapshot(version: string, studentPseudonym: string): string;
  realtime(studentPseudonym: string): string;
  /** String: the group id of a student. */
  studentGroup(studentPseudonym: string): string;
  /** Set: group ids a teacher teaches. */
  teacherGroups(teacherPseudonym: string): string;
  /** Set: student pseudonyms of a guardian's children. */
  guardianChildren(guardianPseudonym: string): string;
}

/** `<prefix>{<tenant>}:`, the start of every key of the tenant. */
export function tenantBase(prefix: string, tenantId: string): string {
  return `${prefix}{${tenantId}}:`;
}

/** The key holding the served snapshot version, under a tenant base. */
export function currentVersionKey(base: string): string {
  return `${base}snap:current`;
}

/** Builds the key scheme of a tenant under a prefix (default `luca:`). */
export function tenantKeys(prefix: string, tenantId: string): TenantKeys {
  const base = tenantBase(prefix, tenantId);

  return {
    base,
    currentVersion: currentVersionKey(base),
    snapshot: (version, student) => `${base}snap:${version}:${student}`,
    realtime: (student) => `${base}rt:${student}`,
    studentGroup: (student) => `${base}acl:student:${student}`,
    teacherGroups: (teacher) => `${base}acl:teacher:${teacher}`,
    guardianChildren: (guardian) => `${base}acl:guardian:${guardian}`,
  };
}
