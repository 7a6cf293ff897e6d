import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DynamoGradesStore,
  ensureGradesTable,
  type GradesStore,
  type RosterRecord,
  SqliteGradesStore,
} from '../../../jobs/grades/store/index.js';
import { eraseFromRoster } from '../../../jobs/privacy/roster-erase.js';
import { useDynalite } from '../../support/dynalite.js';
import { tempDir } from './privacy-fixtures.js';

const dynamo = useDynalite();
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function record(kind: 'student' | 'guardian', id: string, data: object): RosterRecord {
  const groupId = kind === 'student' ? 'g-1' : null;

  return { tenant_id: 't-r', kind, id, group_id: groupId, data: { tenant_id: 't-r', ...data } };
}

const roster = [
  record('student', 's-1', { student_id: 's-1', name: 'Ana', curp: null, group_id: 'g-1' }),
  record('student', 's-2', { student_id: 's-2', name: 'Luis', curp: null, group_id: 'g-1' }),
  record('guardian', 'g-a', { guardian_id: 'g-a', name: 'Tutor A', student_ids: ['s-1'] }),
  record('guardian', 'g-b', { guardian_id: 'g-b', name: 'Tutor B', student_ids: ['s-1', 's-2'] }),
];

const stores: Record<string, () => Promise<GradesStore>> = {
  sqlite: async () => {
    const dir = tempDir();
    dirs.push(dir);

    return SqliteGradesStore.open({ file: join(dir, 'grades.db') });
  },
  dynamodb: async () => {
    const tableName = dynamo.tableName('privacy');
    await ensureGradesTable(dynamo.client, tableName);

    return new DynamoGradesStore({ client: dynamo.client, tableName });
  },
};

describe.each(Object.keys(stores))('eraseFromRoster (%s)', (kind) => {
  it('removes the student and their guardian links, and finds nothing the second time', async () => {
    const store = await (stores[kind] as () => Promise<GradesStore>)();
    await store.putRoster(roster);

    const first = await eraseFromRoster(store, 't-r', 's-1');
    const second = await eraseFromRoster(store, 't-r', 's-1');

    expect(first).toEqual({
      student_removed: true,
      guardians_unlinked: 1,
      guardians_removed: 1,
      evaluations_kept: 0,
    });
    expect(second).toEqual({
      student_removed: false,
      guardians_unlinked: 0,
      guardians_removed: 0,
      evaluations_kept: 0,
    });
    expect(await store.getRoster('t-r', 'student', 's-1')).toBeUndefined();
    expect(await store.getRoster('t-r', 'guardian', 'g-a')).toBeUndefined();
    expect((await store.getRoster('t-r', 'guardian', 'g-b'))?.data.student_ids).toEqual(['s-2']);
    expect(await store.getRoster('t-r', 'student', 's-2')).toBeDefined();
    await store.close();
  });
});
