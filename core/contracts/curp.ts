/**
 * CURP (Clave Única de Registro de Población) checks, as the registry contract
 * (`contracts/gov-grades-api.yaml`, schema `Curp`) defines them. The roster, the
 * seed and the registry sync all use these, so a key the sync would send is
 * judged the same way everywhere.
 */

/** The registry's pattern for an 18-character CURP. */
export const curpPattern =
  /^[A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z][0-9]$/;

/** Character values for the check digit: 0-9, then A-N, Ñ, O-Z (so Ñ is 24 and O is 25). */
const checkAlphabet = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';

/**
 * The 18th character of a CURP, computed over its first 17: each character's
 * value in `0-9 A-N Ñ O-Z` times weights 18 down to 2, summed;
 * digit = (10 - sum mod 10) mod 10. Throws when the input is not 17 characters
 * of that alphabet.
 *
 * @example
 * curpCheckDigit('GOMA150312HDFMRNA'); // '7'
 */
export function curpCheckDigit(first17: string): string {
  if (first17.length !== 17) throw new Error('a CURP check digit needs exactly 17 characters');
  let sum = 0;
  for (let index = 0; index < 17; index += 1) {
    const value = checkAlphabet.indexOf(first17.charAt(index));
    if (value < 0) throw new Error(`character ${index + 1} is outside 0-9 A-Z Ñ`);
    sum += value * (18 - index);
  }

  return String((10 - (sum % 10)) % 10);
}

/** True when the key matches the registry's pattern and its check digit is right. */
export function isValidCurp(curp: string | null | undefined): boolean {
  if (typeof curp !== 'string' || !curpPattern.test(curp)) return false;

  return curpCheckDigit(curp.slice(0, 17)) === curp.charAt(17);
}
