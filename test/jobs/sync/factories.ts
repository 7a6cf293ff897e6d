import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curpCheckDigit, ensureDataPaths, Pseudonymizer } from '../../../core/index.js';
import {
  type ConsolidatedGradeRow,
  type CutoffStudent,
  createCutoff,
  inMemoryGrades,
  inMemoryRoster,
} from '../../../jobs/cutoff/index.js';

export const testPeriod = '2026-2027/P1';
export const pseudonymizer = new Pseudonymizer(Buffer.alloc(32, 7));

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const consonants = 'BCDFGHJKLMNPQRSTVWXYZ';

function pick(alphabet: string, n: number): string {
  return alphabet[n % alphabet.length] as string;
}

/** A CURP that passes the contract's pattern and check digit, unique per `n`. */
export function validCurp(n: number): string {
  const first17 =
    pick(letters, n) +
    'AEIOUX'[n % 6] +
    pick(letters, Math.floor(n / 26)) +
    pick(letters, Math.floor(n / 676)) +
    String(100101 + (n % 899_999)).padStart(6, '0') +
    (n % 2 === 0 ? 'H' : 'M') +
    'DF' +
    pick(consonants, n) +
    pick(consonants, Math.floor(n / 21)) +
    pick(consonants, Math.floor(n / 441)) +
    pick('0123456789ABCDEFGHIJ', Math.floor(n / 9261));

  return first17 + curpCheckDigit(first17);
}

/** The same CURP with a wrong check digit. */
export function badCheckDigitCurp(n: number): string {
  const curp = validCurp(n);

  return curp.slice(0, 17) + String((Number(curp[17]) + 1) % 10);
}

export interface SchoolSpec {
  readonly cct: string;
  readonly students: number;
  readonly subjects?: readonly string[];
  /** Student index to a grade text; default cycles through passing and failing grades. */
  readonly gradeOf?: (student: number, subject: number) => string;
  /** Student index to CURP (null for missing). */
  readonly curpOf?: (student: number) => string | null;
}

export function tenantOf(cct: string): string {
  return `t-${cct.toLowerCase()}`;
}

/** Roster and grades for one school, in memory. */
export function schoolData(spec: SchoolSpec, offset = 0) {
  const tenantId = tenantOf(spec.cct);
  const subjects = spec.subjects ?? ['ESP', 'MAT'];
  const students: (CutoffStudent & { tenant_id: string })[] = [];
  const grades: (ConsolidatedGradeRow & { tenant_id: string })[] = [];
  for (let i = 0; i < spec.students; i += 1) {
    const studentId = `s-${spec.cct}-${i}`;
    const curp = spec.curpOf ? spec.curpOf(i) : validCurp(offset + i);
    students.push({
      tenant_id: tenantId,
      student_id: studentId,
      curp,
      group_id: 'g1',
      group_label: '3A',
      grade_level: 3,
      cct: spec.cct,
    });
    subjects.forEach((subject, s) => {
      const grade = spec.gradeOf
        ? spec.gradeOf(i, s)
        : ['8.5', '9', '5.5', '7.2', '10', '6'][(i + s) % 6];
      grades.push({
        tenant_id: tenantId,
        student_id: pseudonymizer.pseudonym(tenantId, studentId),
        subject_code: subject,
        period_id: testPeriod,
        grade: grade as string,
        grade_unrounded: grade as string,
        policy_id: 'default',
        policy_version: '2026-08-01',
        policy_hash: 'h1',
        computed_at: '2026-12-01T00:00:00.000Z',
      });
    });
  }

  return { tenantId, students, grades };
}

/** A fresh data directory under the OS temp dir. */
export function tempDataPaths() {
  return ensureDataPaths(mkdtempSync(join(tmpdir(), 'luca-sync-')));
}

/** Freezes a cutoff for a school spec and returns its manifest. */
export async function freezeSchool(lakeRoot: string, spec: SchoolSpec, offset = 0) {
  const data = schoolData(spec, offset);

  return createCutoff({
    lakeRoot,
    tenantId: data.tenantId,
    periodId: testPeriod,
    roster: inMemoryRoster(data.students),
    grades: inMemoryGrades(data.grades),
    pseudonymizer,
    createdBy: 'test-operator',
  });
}
