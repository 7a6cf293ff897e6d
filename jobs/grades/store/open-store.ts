import { join } from 'node:path';
import type { DataPaths } from '../../../core/index.js';
import type { LifecycleClock } from './lifecycle.js';
import { SqliteGradesStore } from './sqlite-store.js';

/** Where the embedded store lives under the data directory. */
export function gradesStorePath(paths: DataPaths): string {
  return join(paths.state, 'grades.db');
}

/**
 * Opens the local store of a data directory (`<data-dir>/state/grades.db`).
 *
 * @example
 * const store = openLocalGradesStore(ensureDataPaths());
 */
export function openLocalGradesStore(
  paths: DataPaths,
  options: { clock?: LifecycleClock } = {},
): SqliteGradesStore {
  return SqliteGradesStore.open({ file: gradesStorePath(paths), clock: options.clock });
}
