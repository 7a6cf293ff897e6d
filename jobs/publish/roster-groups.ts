import { existsSync } from 'node:fs';
import type { DataPaths, Pseudonymizer } from '../../core/index.js';
import { gradesStorePath, openLocalGradesStore } from '../grades/index.js';
import type { GroupOf } from './cohort.js';

/**
 * Builds `groupOf` for cohort percentiles from the local roster store: each
 * student's pseudonym (as in the lake) to its group id. Returns undefined
 * when the data directory has no roster store yet (cohorts stay null).
 * Only ids are read from the roster records; names never leave the store.
 */
export async function rosterGroupOf(
  paths: DataPaths,
  pseudonymizer: Pseudonymizer,
  tenants: readonly string[],
): Promise<GroupOf | undefined> {
  if (!existsSync(gradesStorePath(paths))) return undefined;
  const store = openLocalGradesStore(paths);
  const groups = new Map<string, string>();
  try {
    for (const tenant of tenants) {
      for await (const record of store.listRoster(tenant)) {
        if (record.kind !== 'student' || !record.group_id) continue;
        groups.set(pseudonymizer.pseudonym(tenant, record.id), `${tenant}/${record.group_id}`);
      }
    }
  } finally {
    await store.close();
  }

  return groups.size > 0 ? (student) => groups.get(student) : undefined;
}
