import { describe, expect, it } from 'vitest';
import { cct as cctSchema } from '../../../core/index.js';
import {
  cctCheckLetter,
  cctFor,
  cctPattern,
  isSeedCct,
  planSchool,
} from '../../../pipelines/seed/index.js';
import { rosterOptions } from './factories.js';

describe('cctFor', () => {
  it('builds state, type, serial and the check letter', () => {
    // Prepare: worked by hand for 09DPR0001. 0*10 + 9*9 + D=13*8 + P=25*7 + R=27*6
    // + 0*5 + 0*4 + 0*3 + 1*2 = 81 + 104 + 175 + 162 + 2 = 524; 524 mod 26 = 4 -> E.
    // Act
    const key = cctFor('09', 'primaria', 1);

    // Assess
    expect(key).toBe('09DPR0001E');
    expect(key).toMatch(cctPattern);
    expect(cctSchema.safeParse(key).success).toBe(true);
  });

  it('uses DES and DST for the two kinds of secundaria', () => {
    expect(cctFor('14', 'secundaria_general', 250).slice(0, 9)).toBe('14DES0250');
    expect(cctFor('14', 'secundaria_tecnica', 250).slice(0, 9)).toBe('14DST0250');
  });

  it('refuses a serial outside 1-9999', () => {
    expect(() => cctFor('09', 'primaria', 0)).toThrow(/1-9999/);
    expect(() => cctFor('09', 'primaria', 10_000)).toThrow(/1-9999/);
  });
});

describe('isSeedCct', () => {
  it('rejects a key whose check letter was changed', () => {
    const key = cctFor('21', 'primaria', 4321);
    const other = key.endsWith('A') ? 'B' : 'A';

    expect(isSeedCct(key)).toBe(true);
    expect(isSeedCct(`${key.slice(0, 9)}${other}`)).toBe(false);
    expect(() => cctCheckLetter('21DPR432')).toThrow();
  });
});

describe('planSchool', () => {
  it('gives every school of a run a distinct valid CCT and tenant t-<cct lowercased>', () => {
    // Act
    const schools = Array.from({ length: 300 }, (_, index) =>
      planSchool(rosterOptions({ studentsPerSchool: 1 }), index),
    );

    // Assess
    const keys = new Set(schools.map((plan) => plan.school.cct));
    expect(keys.size).toBe(300);
    for (const { school } of schools) {
      expect(isSeedCct(school.cct)).toBe(true);
      expect(school.tenant_id).toBe(`t-${school.cct.toLowerCase()}`);
      expect(school.cct.slice(0, 2)).toBe(school.state_code);
      expect(school.cct.slice(2, 5)).toBe(
        school.level === 'primaria' ? 'DPR' : school.cct.slice(2, 5),
      );
      if (school.level === 'secundaria') expect(['DES', 'DST']).toContain(school.cct.slice(2, 5));
    }
  });
});
