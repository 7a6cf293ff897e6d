import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  importRosterFile,
  parseRosterLine,
  publicRosterView,
  SqliteGradesStore,
} from '../../../../jobs/grades/store/index.js';
import { rosterRecords, tenantA } from './factories.js';

const lines = [
  {
    kind: 'school',
    tenant_id: tenantA,
    cct: '09DES0001A',
    name: 'Sec Uno',
    level: 'secundaria',
    state_code: '09',
  },
  { kind: 'subject', subject_code: 'MAT', name: 'Matemáticas', grade_levels: [7, 8, 9] },
  {
    kind: 'student',
    tenant_id: tenantA,
    student_id: 'stu-1',
    name: 'Luis Gomez',
    curp: null,
    group_id: 'g-1',
    grade_level: 7,
  },
  {
    kind: 'student',
    tenant_id: tenantA,
    student_id: 'bad id',
    name: 'X',
    curp: null,
    group_id: 'g-1',
    grade_level: 7,
  },
  { kind: 'robot', tenant_id: tenantA },
];

describe('roster lines', () => {
  it('gives a subject without tenant to every tenant seen before it', () => {
    const records = parseRosterLine(lines[1], 2, [tenantA, 't-b']);

    expect(records.map((r) => [r.tenant_id, r.kind, r.id])).toEqual([
      [tenantA, 'subject', 'MAT'],
      ['t-b', 'subject', 'MAT'],
    ]);
  });

  it('strips names and CURPs from the public view and keeps relationships', () => {
    const views = rosterRecords().map(publicRosterView);
    const printed = JSON.stringify(views);

    for (const record of rosterRecords()) {
      const { name, curp } = record.data as { name?: string; curp?: string };
      if (name) expect(printed).not.toContain(name);
      if (curp) expect(printed).not.toContain(curp);
    }
    expect(views).toContainEqual(
      expect.objectContaining({
        kind: 'student',
        student_id: 'stu-1',
        group_id: 'g-1a',
        has_curp: true,
      }),
    );
    expect(views).toContainEqual(
      expect.objectContaining({ kind: 'guardian', student_ids: ['stu-1', 'stu-2'] }),
    );
    expect(views).toContainEqual(expect.objectContaining({ kind: 'teacher', group_ids: ['g-1a'] }));
  });

  it('imports a file, reporting each invalid line by number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luca-roster-'));
    const file = join(dir, 'roster.jsonl');
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\nnot json\n`);
    const store = SqliteGradesStore.open({ file: join(dir, 'grades.db') });

    const summary = await importRosterFile(store, file);

    expect(summary).toMatchObject({
      lines: 6,
      written: 3,
      by_kind: { school: 1, subject: 1, student: 1 },
    });
    expect(summary.rejected.map((r) => [r.line, r.code])).toEqual([
      [4, 'ROSTER_ERR_INVALID_LINE'],
      [5, 'ROSTER_ERR_INVALID_LINE'],
      [6, 'ROSTER_ERR_INVALID_LINE'],
    ]);
    expect(await store.groupOfStudent(tenantA, 'stu-1')).toBe('g-1');
    await store.close();
  });
});
