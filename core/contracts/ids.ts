import { z } from 'zod';

/**
 * Identifier shapes shared by every contract. Ids are opaque tokens with no
 * spaces, so an id field can never smuggle free text (names) into the lake.
 */
export const opaqueId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'an id is 1-64 of A-Z a-z 0-9 _ . : -');

/** A tenant is one school; its id is a lowercase slug (the seed uses `t-<cct>`). */
export const tenantId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'a tenant id is 2-63 of a-z 0-9 -');

const uuidV7Pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const uuidV7 = z.string().regex(uuidV7Pattern, 'event_id must be a lowercase UUIDv7');

/** W3C trace-context trace id: 32 lowercase hex, not all zeros. */
export const traceId = z
  .string()
  .regex(/^(?!0{32})[0-9a-f]{32}$/, 'trace_id must be 32 lowercase hex characters');

/** UTC instant with an explicit offset, e.g. `2026-09-01T14:00:00.000Z`. */
export const instant = z.iso.datetime({ offset: true });

/** Calendar date `YYYY-MM-DD`. */
export const isoDate = z.iso.date();

/** School key (Clave de Centro de Trabajo), as in the registry contract. */
export const cct = z.string().regex(/^[0-9]{2}[A-Z]{3}[0-9]{4}[A-Z]$/, 'a CCT is 10 characters');

/** School year and period, e.g. `2026-2027/P1` (the registry's format). */
export const periodId = z
  .string()
  .regex(/^[0-9]{4}-[0-9]{4}\/P[1-9]$/, 'a period looks like 2026-2027/P1');
