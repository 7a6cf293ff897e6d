import type { SchoolPlan } from './roster.js';
import { subjectsFor } from './subjects.js';

/** A roster line: the contract object plus its `kind`. */
export type RosterLine = { kind: string } & Record<string, unknown>;

/**
 * The roster lines of one school, in the order an importer can check
 * references: the school, its subjects (each with the school's `tenant_id`),
 * groups, teachers, students, guardians. Names and CURPs are here and only here.
 */
export function* rosterLines(plan: SchoolPlan): Generator<RosterLine> {
  const { school } = plan;
  yield { kind: 'school', ...school };
  const levels = [...new Set(plan.groups.map((group) => group.grade_level))];
  const codes = new Set(levels.flatMap((level) => subjectsFor(level).map((s) => s.subject_code)));
  for (const level of [1, 2, 3, 4, 5, 6, 7, 8, 9]) {
    for (const subject of subjectsFor(level)) {
      if (!codes.delete(subject.subject_code)) continue;
      const gradeLevels = subject.grade_levels.filter((grade) => levels.includes(grade));
      yield { kind: 'subject', tenant_id: school.tenant_id, ...subject, grade_levels: gradeLevels };
    }
  }
  for (const group of plan.groups) yield { kind: 'group', ...group };
  for (const teacher of plan.teachers) yield { kind: 'teacher', ...teacher };
  for (const student of plan.students) yield { kind: 'student', ...student };
  for (const guardian of plan.guardians) yield { kind: 'guardian', ...guardian };
}
