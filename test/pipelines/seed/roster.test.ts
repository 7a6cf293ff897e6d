import { describe, expect, it } from 'vitest';
import {
  group,
  guardian,
  isValidCurp,
  school,
  student,
  subject,
  teacher,
} from '../../../core/index.js';
import { planSchool, rosterLines, subjectsFor } from '../../../pipelines/seed/index.js';
import { rosterOptions } from './factories.js';

const schemas = { school, group, teacher, student, guardian } as const;

describe('planSchool', () => {
  it('honours the invalid and missing CURP shares over many students', () => {
    // Prepare
    const options = rosterOptions({
      studentsPerSchool: 1000,
      invalidCurpShare: 0.05,
      missingCurpShare: 0.01,
    });

    // Act
    const students = Array.from({ length: 5 }, (_, i) => planSchool(options, i)).flatMap(
      (p) => p.students,
    );

    // Assess: 5,000 students; binomial standard deviations are about 0.3 and 0.14 points.
    const missing = students.filter((s) => s.curp === null).length / students.length;
    const invalid =
      students.filter((s) => s.curp !== null && !isValidCurp(s.curp)).length / students.length;
    expect(invalid).toBeGreaterThan(0.04);
    expect(invalid).toBeLessThan(0.06);
    expect(missing).toBeGreaterThan(0.005);
    expect(missing).toBeLessThan(0.015);
  });

  it('generates no invalid CURP when the share is zero', () => {
    const plan = planSchool(
      rosterOptions({ studentsPerSchool: 400, invalidCurpShare: 0, missingCurpShare: 0 }),
      0,
    );

    expect(plan.students.every((s) => isValidCurp(s.curp))).toBe(true);
  });

  it('keeps groups at 35 students or fewer, each in its school level', () => {
    const plan = planSchool(rosterOptions({ studentsPerSchool: 700 }), 2);
    const sizes = new Map<string, number>();
    for (const s of plan.students) sizes.set(s.group_id, (sizes.get(s.group_id) ?? 0) + 1);

    expect(Math.max(...sizes.values())).toBeLessThanOrEqual(35);
    const levels = plan.school.level === 'primaria' ? [1, 2, 3, 4, 5, 6] : [7, 8, 9];
    for (const g of plan.groups) expect(levels).toContain(g.grade_level);
    for (const s of plan.students) {
      expect(plan.groups.find((g) => g.group_id === s.group_id)?.grade_level).toBe(s.grade_level);
    }
  });

  it('assigns a teacher to every subject of every group', () => {
    for (const index of [0, 1, 2, 3]) {
      const plan = planSchool(rosterOptions(), index);
      for (const g of plan.groups) {
        for (const { subject_code } of subjectsFor(g.grade_level)) {
          const teacherId = plan.teacherOf(g.group_id, subject_code);
          expect(plan.teachers.find((t) => t.teacher_id === teacherId)?.group_ids).toContain(
            g.group_id,
          );
        }
      }
    }
  });

  it('gives guardians one or two children, siblings sharing both surnames', () => {
    const plan = planSchool(rosterOptions({ studentsPerSchool: 300 }), 1);
    const byId = new Map(plan.students.map((s) => [s.student_id, s]));
    const families = plan.guardians.map((g) => g.student_ids.map((id) => byId.get(id)));
    const siblings = families.filter((children) => children.length === 2);

    expect(families.every((children) => children.length >= 1 && children.length <= 2)).toBe(true);
    expect(siblings.length).toBeGreaterThan(10);
    for (const [first, second] of siblings) {
      const surnames = (name: string | undefined) => name?.split(' ').slice(-2).join(' ');
      expect(surnames(first?.name)).toBe(surnames(second?.name));
    }
    expect(plan.guardians.flatMap((g) => g.student_ids).sort()).toEqual([...byId.keys()].sort());
  });
});

describe('rosterLines', () => {
  it('writes every entity in the strict roster contract shape with a kind', () => {
    const plan = planSchool(rosterOptions(), 0);
    const kinds = new Set<string>();

    for (const line of rosterLines(plan)) {
      const { kind, ...fields } = line;
      kinds.add(kind);
      if (kind === 'subject') {
        const { tenant_id, ...rest } = fields;
        expect(tenant_id).toBe(plan.school.tenant_id);
        expect(subject.safeParse(rest).success).toBe(true);
      } else {
        const parsed = schemas[kind as keyof typeof schemas].safeParse(fields);
        expect(parsed.success, `${kind}: ${parsed.error?.message}`).toBe(true);
      }
    }
    expect([...kinds].sort()).toEqual([
      'group',
      'guardian',
      'school',
      'student',
      'subject',
      'teacher',
    ]);
  });
});
