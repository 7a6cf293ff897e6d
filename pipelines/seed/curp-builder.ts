import { curpCheckDigit } from '../../core/index.js';
import type { Rng } from './random.js';

/**
 * Builds CURPs the way RENAPO composes them, from a person's names, birth date,
 * sex and birth state: first surname's initial and first inner vowel, second
 * surname's initial, given name's initial (the second name when the first is
 * José or María), YYMMDD, H/M, the state's two letters, the first inner
 * consonant of each of the three names, a differentiator (a letter for people
 * born in 2000 or later) and the check digit.
 */

export interface CurpPerson {
  givenNames: string;
  firstSurname: string;
  secondSurname: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  sex: 'H' | 'M';
  /** Two-letter CURP state (`DF`, `JC`...). */
  stateLetters: string;
}

/** Four-letter starts RENAPO replaces (second letter becomes X); a short sample. */
const awkwardStarts = new Set(['BUEI', 'CACA', 'CAKA', 'COGE', 'KAKA', 'MAME', 'MEAR', 'PEDO']);
const vowels = 'AEIOU';

/** Uppercase A-Z only: accents removed, Ñ read as X (the registry pattern has no Ñ). */
function normalise(text: string): string {
  return text
    .toUpperCase()
    .replaceAll('Ñ', 'X')
    .normalize('NFD')
    .replace(/[^A-Z ]/g, '')
    .trim();
}

function firstInner(word: string, wanted: (character: string) => boolean): string {
  for (const character of word.slice(1)) if (wanted(character)) return character;

  return 'X';
}

function mainGivenName(givenNames: string): string {
  const parts = normalise(givenNames).split(/\s+/);
  const [first, second] = parts;
  if (second && (first === 'JOSE' || first === 'MARIA' || first === 'MA' || first === 'J')) {
    return second;
  }

  return first ?? 'X';
}

const isVowel = (character: string): boolean => vowels.includes(character);
const isConsonant = (character: string): boolean => !isVowel(character) && character !== ' ';

/** A CURP with a correct check digit for the person; `rng` picks the differentiator. */
export function buildCurp(person: CurpPerson, rng: Rng): string {
  const first = normalise(person.firstSurname).split(/\s+/)[0] ?? 'X';
  const second = normalise(person.secondSurname).split(/\s+/)[0] || 'X';
  const given = mainGivenName(person.givenNames);
  let start = `${first[0]}${firstInner(first, isVowel)}${second[0]}${given[0]}`;
  if (awkwardStarts.has(start)) start = `${start[0]}X${start.slice(2)}`;

  const [year = '', month = '', day = ''] = person.birthDate.split('-');
  const consonants = `${firstInner(first, isConsonant)}${firstInner(second, isConsonant)}${firstInner(given, isConsonant)}`;
  const differentiator =
    Number(year) >= 2000 ? String.fromCharCode(65 + rng.int(0, 25)) : String(rng.int(0, 9));
  const first17 = `${start}${year.slice(2)}${month}${day}${person.sex}${person.stateLetters}${consonants}${differentiator}`;

  return `${first17}${curpCheckDigit(first17)}`;
}

/** The same key with a wrong check digit (for the sync to reject). */
export function breakCheckDigit(curp: string, rng: Rng): string {
  const right = Number(curp.charAt(17));
  const wrong = (right + rng.int(1, 9)) % 10;

  return `${curp.slice(0, 17)}${wrong}`;
}
