import type {
  EvaluationImportLine,
  RecordInput,
  RosterRecord,
} from '../../../../jobs/grades/store/index.js';

export const tenantA = 't-a';
export const tenantB = 't-b';

/** A mutable clock: `today` drives period close rules, `now` stays real (event time checks). */
export function testClock(today = '2026-10-01') {
  const clock = { todayValue: today, now: () => new Date(), today: () => clock.todayValue };

  return clock;
}

function record(tenantId: string, kind: RosterRecord['kind'], id: string, data: object) {
  const groupId = kind === 'student' ? ((data as { group_id: string }).group_id ?? null) : null;

  return {
    tenant_id: tenantId,
    kind,
    id,
    group_id: groupId,
    data: { tenant_id: tenantId, ...data },
  };
}

/** A small roster: two tenants, a school, two groups, a teacher, a guardian and students. */
export function rosterRecords(): RosterRecord[] {
  return [
    record(tenantA, 'school', '09DES0001A', {
      cct: '09DES0001A',
      name: 'Escuela Secundaria Uno',
      level: 'secundaria',
      state_code: '09',
    }),
    record(tenantA, 'group', 'g-1a', {
      group_id: 'g-1a',
      grade_level: 7,
      label: '1A',
      school_year: '2026-2027',
    }),
    record(tenantA, 'group', 'g-1b', {
      group_id: 'g-1b',
      grade_level: 7,
      label: '1B',
      school_year: '2026-2027',
    }),
    record(tenantA, 'teacher', 'tch-1', {
      teacher_id: 'tch-1',
      name: 'Maestra Ana Ruiz',
      group_ids: ['g-1a'],
    }),
    record(tenantA, 'guardian', 'gdn-1', {
      guardian_id: 'gdn-1',
      name: 'Pedro Gomez',
      student_ids: ['stu-1', 'stu-2'],
    }),
    record(tenantA, 'student', 'stu-1', {
      student_id: 'stu-1',
      name: 'Luis Gomez Lara',
      curp: 'GOLL120304HDFMRS09',
      group_id: 'g-1a',
      grade_level: 7,
    }),
    record(tenantA, 'student', 'stu-2', {
      student_id: 'stu-2',
      name: 'Maria Gomez Lara',
      curp: null,
      group_id: 'g-1b',
      grade_level: 7,
    }),
    record(tenantB, 'school', '09DES0002B', {
      cct: '09DES0002B',
      name: 'Escuela Secundaria Dos',
      level: 'secundaria',
      state_code: '09',
    }),
    record(tenantB, 'student', 'stu-9', {
      student_id: 'stu-9',
      name: 'Ana Perez Solis',
      curp: 'PESA120101MDFRLN02',
      group_id: 'g-9',
      grade_level: 7,
    }),
  ];
}

/** A valid evaluation of `stu-1` in period 1; override any field. */
export function evaluation(overrides: Partial<RecordInput> = {}): RecordInput {
  return {
    tenant_id: tenantA,
    evaluation_id: `ev-${Math.random().toString(36).slice(2, 10)}`,
    student_id: 'stu-1',
    subject_code: 'MAT',
    period_id: '2026-2027/P1',
    category: 'exam',
    score: 8,
    max_score: 10,
    ...overrides,
  };
}

export const teacher = { actor: { id: 'tch-1', role: 'teacher' as const } };

/** A line of `evaluations.jsonl` (number `n`), recorded on 2026-10-01 by `tch-1`. */
export function importLine(
  n: number,
  overrides: Partial<EvaluationImportLine> = {},
): { line: number; value: EvaluationImportLine } {
  const { evaluation_id: _id, ...base } = evaluation();

  return {
    line: n,
    value: {
      ...base,
      evaluation_id: `ev-i${n}`,
      teacher_id: 'tch-1',
      recorded_at: '2026-10-01T15:00:00.000Z',
      is_missing: false,
      is_extra_credit: false,
      ...overrides,
    },
  };
}
