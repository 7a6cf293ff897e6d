import type { Principal, Pseudonymizer } from '../../core/index.js';
import type { ReadMode } from '../session/read-script.js';
import { sessionReadScopes } from './matrix.js';

const modeOfScope = {
  self: 'self',
  children: 'children',
  groups: 'groups',
  tenant: 'tenant',
} as const satisfies Record<string, ReadMode>;

/** How the caller's read is checked inside the read script, or `none`. */
export interface ReadGrant {
  readonly mode: ReadMode | 'none';
  /** The caller's pseudonym in its tenant: compared or looked up in the ACL keys. */
  readonly callerPseudonym: string;
}

/**
 * Maps a verified principal to its session-read grant. The relationship itself
 * (is this my child, my group's student) is checked in Redis by the read
 * script, in the same round trip that fetches the snapshot.
 */
export function readGrantOf(principal: Principal, pseudonymizer: Pseudonymizer): ReadGrant {
  const scope = sessionReadScopes[principal.role];
  const callerPseudonym = pseudonymizer.pseudonym(principal.tenantId, principal.subject);
  if (scope === 'none') return { mode: 'none', callerPseudonym };

  return { mode: modeOfScope[scope], callerPseudonym };
}
