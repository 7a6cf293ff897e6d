import { describe, expect, it } from 'vitest';
import { curpCheckDigit, curpPattern, isValidCurp } from '../../../core/index.js';
import { breakCheckDigit, buildCurp, Rng } from '../../../pipelines/seed/index.js';

describe('curpCheckDigit', () => {
  it('computes the digit over the first 17 characters with weights 18..2', () => {
    // Prepare: worked by hand. G=16*18 O=25*17 M=22*16 A=10*15 1*14 5*13 0*12 3*11 1*10
    // 2*9 H=17*8 D=13*7 F=15*6 M=22*5 R=28*4 N=23*3 A=10*2 = 1983; (10 - 3) mod 10 = 7.
    const first17 = 'GOMA150312HDFMRNA';

    // Act
    const digit = curpCheckDigit(first17);

    // Assess
    expect(digit).toBe('7');
  });

  it('counts Ñ as 24 and O as 25, and maps a sum ending in 0 to 0', () => {
    // P=26*18 E=14*17 L=21*16 J=19*15 0 9*13 0 5*11 2*10 1*9 M=22*8 J=19*7 C=12*6 R=28*5
    // P=26*4 S=29*3 B=11*2 = 2262; (10 - 2) mod 10 = 8.
    expect(curpCheckDigit('PELJ090521MJCRPSB')).toBe('8');
    // Ñ (24) in place of O (25) at position 2 lowers the sum by 17: 1983 - 17 = 1966 -> 4.
    expect(curpCheckDigit('GÑMA150312HDFMRNA')).toBe('4');
    // A=10 at weights 18..15 and 7..3, H=17 at weight 8: 660 + 136 + 250 = 1046 -> 4;
    // a final 2 adds 2*2: 1050, which ends in 0, so the digit is (10 - 0) mod 10 = 0.
    expect(curpCheckDigit('AAAA000000HAAAAA0')).toBe('4');
    expect(curpCheckDigit('AAAA000000HAAAAA2')).toBe('0');
  });

  it('rejects input that is not 17 characters of the alphabet', () => {
    expect(() => curpCheckDigit('GOMA150312HDFMRN')).toThrow(/17/);
    expect(() => curpCheckDigit('GOMA150312HDFMRN-')).toThrow(/outside/);
  });
});

describe('isValidCurp', () => {
  it('accepts a key with the pattern and the right digit', () => {
    expect(isValidCurp('GOMA150312HDFMRNA7')).toBe(true);
  });

  it('rejects a wrong digit, a bad pattern, null and a lowercase key', () => {
    expect(isValidCurp('GOMA150312HDFMRNA8')).toBe(false);
    expect(isValidCurp('GBMA150312HDFMRNA7')).toBe(false);
    expect(isValidCurp(null)).toBe(false);
    expect(isValidCurp('goma150312hdfmrna7')).toBe(false);
  });
});

describe('buildCurp', () => {
  const rng = () => new Rng('curp-test');

  it('composes initials, inner vowel, birth date, sex, state, inner consonants and digit', () => {
    // Act
    const curp = buildCurp(
      {
        givenNames: 'Daniela',
        firstSurname: 'Pérez',
        secondSurname: 'Rodríguez',
        birthDate: '2018-08-24',
        sex: 'M',
        stateLetters: 'CH',
      },
      rng(),
    );

    // Assess
    expect(curp.slice(0, 16)).toBe('PERD180824MCHRDN');
    expect(curp.charAt(16)).toMatch(/[A-Z]/);
    expect(isValidCurp(curp)).toBe(true);
  });

  it('uses the second given name after José or María and reads Ñ as X', () => {
    const curp = buildCurp(
      {
        givenNames: 'María Fernanda',
        firstSurname: 'Núñez',
        secondSurname: 'Peña',
        birthDate: '2015-01-09',
        sex: 'M',
        stateLetters: 'DF',
      },
      rng(),
    );

    expect(curp.slice(0, 4)).toBe('NUPF');
    expect(curp.slice(13, 16)).toBe('XXR');
    expect(curp).toMatch(curpPattern);
  });

  it('uses a digit differentiator for people born before 2000', () => {
    const curp = buildCurp(
      {
        givenNames: 'Ana',
        firstSurname: 'Uc',
        secondSurname: 'Cruz',
        birthDate: '1987-05-30',
        sex: 'M',
        stateLetters: 'YN',
      },
      rng(),
    );

    expect(curp.slice(0, 4)).toBe('UXCA');
    expect(curp.charAt(16)).toMatch(/[0-9]/);
    expect(isValidCurp(curp)).toBe(true);
  });
});

describe('breakCheckDigit', () => {
  it('always changes the digit, so the key fails the check', () => {
    const rng = new Rng('break');
    for (let round = 0; round < 50; round += 1) {
      const broken = breakCheckDigit('GOMA150312HDFMRNA7', rng);
      expect(broken).toMatch(curpPattern);
      expect(isValidCurp(broken)).toBe(false);
    }
  });
});
