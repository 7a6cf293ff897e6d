import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteGradesStore } from '../../../../jobs/grades/store/index.js';
import { describeGradesStore } from './store-suite.js';

describeGradesStore('sqlite', async (clock) => {
  const dir = mkdtempSync(join(tmpdir(), 'luca-grades-store-'));

  return SqliteGradesStore.open({ file: join(dir, 'grades.db'), clock });
});
