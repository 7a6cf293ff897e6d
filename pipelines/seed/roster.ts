import {
  type Group,
  type Guardian,
  type School,
  type Student,
  schoolYear,
  type Teacher,
} from '../../core/index.js';
import type { Shift } from './calendar.js';
import { type CctType, cctFor } from './cct.js';
import { femaleNames, maleNames, schoolPatrons, states, surnames } from './names.js';
import {
  fullName,
  generateFamilies,
  type SeedChild,
  type SeedFamily,
  type StudentTraits,
} from './people.js';
import { Rng } from './random.js';
import { subjectsFor } from './subjects.js';

/** One school's roster and the hidden traits the generators use. */
export interface SchoolPlan {
  readonly index: number;
  readonly school: School;
  readonly cctType: CctType;
  readonly shift: Shift;
  readonly groups: Group[];
  readonly teachers: Teacher[];
  readonly students: Student[];
  readonly guardians: Guardian[];
  readonly traits: ReadonlyMap<string, StudentTraits>;
  /** The teacher of a subject in a group. */
  teacherOf(groupId: string, subjectCode: string): string;
}

export interface RosterOptions {
  readonly seed: string;
  readonly studentsPerSchool: number;
  readonly invalidCurpShare: number;
  readonly missingCurpShare: number;
  readonly disengagingShare: number;
}

const maxGroupSize = 35;

function schoolIdentity(seed: string, index: number) {
  const rng = new Rng(seed, 'school', index);
  const isPrimaria = rng.chance(0.55);
  const cctType: CctType = isPrimaria
    ? 'primaria'
    : rng.chance(0.6)
      ? 'secundaria_general'
      : 'secundaria_tecnica';
  const stateCode = rng.pick(states)[0];
  // 37 is coprime with 9999, so schools 0..9998 of one run never share a serial.
  const serialBase = new Rng(seed, 'serials').int(0, 9998);
  const serial = 1 + ((serialBase + index * 37) % 9999);
  const cct = cctFor(stateCode, cctType, serial);
  const shift: Shift = rng.chance(0.2) ? 'vespertino' : 'matutino';
  const level = isPrimaria ? 'primaria' : 'secundaria';
  const kind =
    cctType === 'secundaria_tecnica'
      ? 'Escuela Secundaria Técnica'
      : `Escuela ${level === 'primaria' ? 'Primaria' : 'Secundaria'}`;
  const name = `${kind} ${rng.pick(schoolPatrons)}${shift === 'vespertino' ? ' (vespertino)' : ''}`;
  const school: School = {
    tenant_id: `t-${cct.toLowerCase()}`,
    cct,
    name,
    level,
    state_code: stateCode,
  };

  return { school, cctType, shift };
}

function buildGroups(school: School, levelCounts: Map<number, number>): Group[] {
  const groups: Group[] = [];
  const key = school.cct.toLowerCase();
  for (const [gradeLevel, count] of [...levelCounts].sort(([a], [b]) => a - b)) {
    const groupCount = Math.max(1, Math.ceil(count / maxGroupSize));
    const shown = gradeLevel > 6 ? gradeLevel - 6 : gradeLevel;
    for (let g = 0; g < groupCount; g += 1) {
      const letter = String.fromCharCode(65 + g);
      const group_id = `g-${key}-${gradeLevel}${letter.toLowerCase()}`;
      groups.push({
        tenant_id: school.tenant_id,
        group_id,
        grade_level: gradeLevel,
        label: `${shown}${letter}`,
        school_year: schoolYear,
      });
    }
  }

  return groups;
}

function teacherName(rng: Rng): string {
  const given = rng.pick(rng.chance(0.65) ? femaleNames : maleNames);

  return fullName(given, rng.pick(surnames), rng.pick(surnames));
}

/**
 * Primaria: one class teacher per group for every subject but English and PE,
 * which one specialist each teaches school-wide. Secundaria: a teacher per
 * subject for up to six groups.
 */
function buildTeachers(plan: { school: School; groups: Group[] }, seed: string, index: number) {
  const rng = new Rng(seed, 'teachers', index);
  const assignments = new Map<string, string>();
  const teachers: Teacher[] = [];
  const hire = (groupIds: string[], subjectCodes: (groupId: string) => string[]): void => {
    const teacher_id = `tch-${plan.school.cct.toLowerCase()}-${String(teachers.length + 1).padStart(3, '0')}`;
    teachers.push({
      tenant_id: plan.school.tenant_id,
      teacher_id,
      name: teacherName(rng),
      group_ids: groupIds,
    });
    for (const groupId of groupIds)
      for (const code of subjectCodes(groupId)) assignments.set(`${groupId}|${code}`, teacher_id);
  };
  const gradeOf = new Map(plan.groups.map((group) => [group.group_id, group.grade_level]));
  const codesOf = (groupId: string): string[] =>
    subjectsFor(gradeOf.get(groupId) ?? 1).map((s) => s.subject_code);

  if (plan.school.level === 'primaria') {
    for (const group of plan.groups) {
      hire([group.group_id], (id) => codesOf(id).filter((code) => code !== 'ING' && code !== 'EF'));
    }
    for (const specialty of ['ING', 'EF'])
      hire(
        plan.groups.map((g) => g.group_id),
        () => [specialty],
      );
  } else {
    const codes = [...new Set(plan.groups.flatMap((group) => codesOf(group.group_id)))];
    for (const code of codes) {
      const taught = plan.groups.filter((group) => codesOf(group.group_id).includes(code));
      for (let start = 0; start < taught.length; start += 6) {
        hire(
          taught.slice(start, start + 6).map((g) => g.group_id),
          () => [code],
        );
      }
    }
  }

  return { teachers, assignments };
}

/** Students and guardians of the families, each student placed in a group of their grade round-robin. */
function enrol(school: School, families: SeedFamily[], groups: Group[]) {
  const key = school.cct.toLowerCase();
  const students: Student[] = [];
  const guardians: Guardian[] = [];
  const traits = new Map<string, StudentTraits>();
  const placed = new Map<number, number>();
  const enrolChild = (child: SeedChild): string => {
    const student_id = `stu-${key}-${String(students.length + 1).padStart(5, '0')}`;
    const nth = placed.get(child.gradeLevel) ?? 0;
    placed.set(child.gradeLevel, nth + 1);
    const ofLevel = groups.filter((group) => group.grade_level === child.gradeLevel);
    const { group_id } = ofLevel[nth % ofLevel.length] as Group;
    const name = fullName(child.givenNames, child.firstSurname, child.secondSurname);
    const { tenant_id } = school;
    students.push({
      tenant_id,
      student_id,
      name,
      curp: child.curp,
      group_id,
      grade_level: child.gradeLevel,
    });
    traits.set(student_id, child.traits);

    return student_id;
  };
  for (const family of families) {
    const student_ids = family.children.map(enrolChild);
    const guardian_id = `gdn-${key}-${String(guardians.length + 1).padStart(5, '0')}`;
    guardians.push({
      tenant_id: school.tenant_id,
      guardian_id,
      name: family.guardianName,
      student_ids,
    });
  }

  return { students, guardians, traits };
}

/**
 * Generates school number `index` of a run: its CCT and tenant, groups per grade
 * level (at most 35 students each), teachers, families of guardians and
 * students, and each student's hidden traits. The same seed and index always
 * give the same school, whatever else the run generates.
 */
export function planSchool(options: RosterOptions, index: number): SchoolPlan {
  const { school, cctType, shift } = schoolIdentity(options.seed, index);
  const gradeLevels = school.level === 'primaria' ? [1, 2, 3, 4, 5, 6] : [7, 8, 9];
  const families = generateFamilies({
    ...options,
    schoolIndex: index,
    stateCode: school.state_code,
    gradeLevels,
    studentCount: options.studentsPerSchool,
  });
  const levelCounts = new Map<number, number>();
  for (const { gradeLevel } of families.flatMap((family) => family.children)) {
    levelCounts.set(gradeLevel, (levelCounts.get(gradeLevel) ?? 0) + 1);
  }
  const groups = buildGroups(school, levelCounts);
  const { students, guardians, traits } = enrol(school, families, groups);

  const { teachers, assignments } = buildTeachers({ school, groups }, options.seed, index);
  const teacherOf = (groupId: string, subjectCode: string): string => {
    const teacherId = assignments.get(`${groupId}|${subjectCode}`);
    if (!teacherId) throw new Error(`no teacher for ${subjectCode} in ${groupId}`);

    return teacherId;
  };

  return {
    index,
    school,
    cctType,
    shift,
    groups,
    teachers,
    students,
    guardians,
    traits,
    teacherOf,
  };
}
