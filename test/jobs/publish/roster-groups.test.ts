import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDataPaths, Pseudonymizer } from '../../../core/index.js';
import { openLocalGradesStore } from '../../../jobs/grades/index.js';
import { rosterGroupOf } from '../../../jobs/publish/index.js';

describe('rosterGroupOf', () => {
  it('maps each student pseudonym to its group and nothing else', async () => {
    // Prepare
    const paths = ensureDataPaths(mkdtempSync(join(tmpdir(), 'luca-roster-groups-')));
    const pseudonymizer = new Pseudonymizer(Buffer.alloc(32, 7));
    const store = openLocalGradesStore(paths);
    await store.putRoster([
      {
        tenant_id: 't-a',
        kind: 'student',
        id: 'stu-1',
        group_id: 'g-1',
        data: { student_id: 'stu-1' },
      },
      {
        tenant_id: 't-a',
        kind: 'student',
        id: 'stu-2',
        group_id: 'g-2',
        data: { student_id: 'stu-2' },
      },
      { tenant_id: 't-a', kind: 'group', id: 'g-1', group_id: null, data: { group_id: 'g-1' } },
    ]);
    await store.close();

    // Act
    const groupOf = await rosterGroupOf(paths, pseudonymizer, ['t-a']);

    // Assess
    expect(groupOf?.(pseudonymizer.pseudonym('t-a', 'stu-1'))).toBe('t-a/g-1');
    expect(groupOf?.(pseudonymizer.pseudonym('t-a', 'stu-2'))).toBe('t-a/g-2');
    expect(groupOf?.('stu-1')).toBeUndefined();
  });

  it('gives no mapping when the data directory has no roster store', async () => {
    const paths = ensureDataPaths(mkdtempSync(join(tmpdir(), 'luca-roster-groups-')));

    expect(
      await rosterGroupOf(paths, new Pseudonymizer(Buffer.alloc(32, 7)), ['t-a']),
    ).toBeUndefined();
  });
});
