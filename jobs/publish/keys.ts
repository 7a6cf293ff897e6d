/** Default prefix of every key the profile writes (same default as the read API). */
export const defaultKeyPrefix = 'luca:';

/**
 * The Redis keys of one tenant's profile data. The `{tenant}` hash tag keeps
 * a tenant's keys in one cluster slot, so one Lua script can touch them all.
 *
 * - `<prefix>{t}:snap:current` holds the served snapshot version;
 * - `<prefix>{t}:snap:<version>:<student>` holds one student's document;
 * - `<prefix>{t}:rt:<student>` is the hash of real-time signals.
 */
export function profileKeys(prefix: string, tenantId: string) {
  const base = `${prefix}{${tenantId}}:`;

  return {
    base,
    current: `${base}snap:current`,
    lock: `${base}snap:lock`,
    snapshot: (version: string, student: string) => `${base}snap:${version}:${student}`,
    /** SCAN pattern of every document of a version (glob characters escaped). */
    versionPattern: (version: string) => `${escapeGlob(`${base}snap:${version}:`)}*`,
    realtime: (student: string) => `${base}rt:${student}`,
    /** Event ids already counted for a student on a local day (dedup set). */
    realtimeSeen: (student: string, localDate: string) => `${base}rt-seen:${student}:${localDate}`,
  };
}

export type ProfileKeys = ReturnType<typeof profileKeys>;

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}
