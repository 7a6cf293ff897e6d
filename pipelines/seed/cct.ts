/**
 * School keys (CCT, Clave de Centro de Trabajo): two digits of state (INEGI
 * 01-32), one letter of funding (`D`, federal transferred), two of school type
 * (`PR` primaria, `ES` secundaria general, `ST` secundaria técnica), a
 * four-digit serial and a check letter.
 *
 * SEP does not publish the check-letter rule in a form we could verify, so the
 * seed uses its own, documented in docs/sample-data.md: the values of the first
 * nine characters (digits 0-9, letters A=10 ... Z=35) times weights 10 down to 2,
 * summed, mod 26, as a letter A-Z. Real keys need not satisfy it; the
 * registry contract checks the pattern only.
 */

export const cctPattern = /^[0-9]{2}[A-Z]{3}[0-9]{4}[A-Z]$/;

/** The school types the seed generates, with their CCT type letters. */
export const cctTypes = {
  primaria: 'DPR',
  secundaria_general: 'DES',
  secundaria_tecnica: 'DST',
} as const;
export type CctType = keyof typeof cctTypes;

function characterValue(character: string): number {
  const code = character.charCodeAt(0);

  return code <= 57 ? code - 48 : code - 55;
}

/** The seed's check letter over the first nine characters of a CCT. */
export function cctCheckLetter(first9: string): string {
  if (!/^[0-9]{2}[A-Z]{3}[0-9]{4}$/.test(first9)) {
    throw new Error('a CCT check letter needs 2 digits, 3 letters and 4 digits');
  }
  let sum = 0;
  for (let index = 0; index < 9; index += 1) {
    sum += characterValue(first9.charAt(index)) * (10 - index);
  }

  return String.fromCharCode(65 + (sum % 26));
}

/**
 * The CCT of a school: state code (`'09'`), type and serial (1-9999).
 *
 * @example
 * cctFor('09', 'primaria', 1); // '09DPR0001' plus its check letter
 */
export function cctFor(stateCode: string, type: CctType, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 9999) {
    throw new Error('a CCT serial is 1-9999');
  }
  const first9 = `${stateCode}${cctTypes[type]}${String(serial).padStart(4, '0')}`;

  return `${first9}${cctCheckLetter(first9)}`;
}

/** True when the key has the CCT pattern and the seed's check letter. */
export function isSeedCct(cct: string): boolean {
  return cctPattern.test(cct) && cctCheckLetter(cct.slice(0, 9)) === cct.charAt(9);
}
