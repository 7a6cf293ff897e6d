import { buildCurp, breakCheckDigit } from './curp-builder.js';
import { curpStateOf, femaleNames, maleNames, states, surnames } from './names.js';
import { Rng } from './random.js';

/** What the behaviour and grade generators need to know about a student beyond the roster. */
export interface StudentTraits {
  /** Standard-normal ability: drives quiz correctness and grades. */
  readonly ability: number;
  /** Baseline chance of taking part in a class session or homework (0.3-0.98). */
  readonly engagement: number;
  /**
   * For students who disengage: the fraction of the behaviour window after which
   * their activity declines towards a tenth of the baseline; otherwise null.
   */
  readonly disengageFrom: number | null;
}

/** A student before group assignment. */
export interface SeedChild {
  readonly givenNames: string;
  readonly firstSurname: string;
  readonly secondSurname: string;
  readonly gradeLevel: number;
  readonly curp: string | null;
  readonly traits: StudentTraits;
}

export interface SeedFamily {
  readonly guardianName: string;
  readonly children: SeedChild[];
}

export interface PeopleOptions {
  readonly seed: string;
  readonly schoolIndex: number;
  readonly stateCode: string;
  readonly gradeLevels: readonly number[];
  readonly studentCount: number;
  readonly invalidCurpShare: number;
  readonly missingCurpShare: number;
  readonly disengagingShare: number;
}

/** A person's full name: given names and both surnames. */
export function fullName(given: string, first: string, second: string): string {
  return `${given} ${first} ${second}`;
}

function birthDateFor(gradeLevel: number, rng: Rng): string {
  // Grade 1 of primaria starts at age 6 in 2026-2027: born in 2020; repeaters a year earlier.
  const year = 2026 - 5 - gradeLevel - (rng.chance(0.05) ? 1 : 0);
  const dayOfYear = rng.int(0, 364);

  return new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10);
}

type ChildBase = Omit<SeedChild, 'curp' | 'traits'> & { female: boolean };

function curpFor(child: ChildBase, options: PeopleOptions, rng: Rng): string | null {
  const roll = rng.next();
  if (roll < options.missingCurpShare) return null;

  const bornElsewhere = rng.chance(0.1);
  const stateCode = bornElsewhere ? rng.pick(states)[0] : options.stateCode;
  const curp = buildCurp(
    {
      givenNames: child.givenNames,
      firstSurname: child.firstSurname,
      secondSurname: child.secondSurname,
      birthDate: birthDateFor(child.gradeLevel, rng),
      sex: child.female ? 'M' : 'H',
      stateLetters: curpStateOf(stateCode),
    },
    rng,
  );
  const invalid = roll < options.missingCurpShare + options.invalidCurpShare;

  return invalid ? breakCheckDigit(curp, rng) : curp;
}

function traitsFor(options: PeopleOptions, rng: Rng): StudentTraits {
  const ability = Math.max(-2.8, Math.min(2.8, rng.normal()));
  const engagement = Math.max(0.3, Math.min(0.98, 0.72 + 0.18 * rng.normal()));
  const disengageFrom = rng.chance(options.disengagingShare) ? rng.between(0.15, 0.6) : null;

  return { ability, engagement, disengageFrom };
}

function childOf(
  family: { first: string; second: string },
  options: PeopleOptions,
  rng: Rng,
): SeedChild {
  const female = rng.chance(0.5);
  const base = {
    female,
    givenNames: rng.pick(female ? femaleNames : maleNames),
    firstSurname: family.first,
    secondSurname: family.second,
    gradeLevel: rng.pick(options.gradeLevels),
  };

  const { female: _female, ...child } = base;

  return { ...child, curp: curpFor(base, options, rng), traits: traitsFor(options, rng) };
}

/**
 * The families of one school: each guardian has one child, or two siblings
 * (about one family in six) sharing both surnames, until the school has
 * `studentCount` students.
 */
export function generateFamilies(options: PeopleOptions): SeedFamily[] {
  const rng = new Rng(options.seed, 'families', options.schoolIndex);
  const families: SeedFamily[] = [];
  let students = 0;
  while (students < options.studentCount) {
    const surname = { first: rng.pick(surnames), second: rng.pick(surnames) };
    const size = students + 2 <= options.studentCount && rng.chance(0.17) ? 2 : 1;
    const children = Array.from({ length: size }, () => childOf(surname, options, rng));
    // Mothers (seven in ten guardians here) carry the children's second surname first.
    const isMother = rng.chance(0.7);
    const guardianName = isMother
      ? fullName(rng.pick(femaleNames), surname.second, rng.pick(surnames))
      : fullName(rng.pick(maleNames), surname.first, rng.pick(surnames));
    families.push({ guardianName, children });
    students += size;
  }

  return families;
}
