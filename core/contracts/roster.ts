import { z } from 'zod';
import { cct, opaqueId, tenantId } from './ids.js';

/**
 * Roster entities. Names and CURPs exist only here and in the roster store;
 * nothing else (events, lake, logs) may carry them.
 */
export const school = z.strictObject({
  tenant_id: tenantId,
  cct,
  name: z.string().min(1).max(200),
  level: z.enum(['primaria', 'secundaria']),
  state_code: z.string().regex(/^[0-9]{2}$/),
});

export const group = z.strictObject({
  tenant_id: tenantId,
  group_id: opaqueId,
  grade_level: z.number().int().min(1).max(9),
  label: z.string().max(8),
  school_year: z.string().regex(/^[0-9]{4}-[0-9]{4}$/),
});

export const teacher = z.strictObject({
  tenant_id: tenantId,
  teacher_id: opaqueId,
  name: z.string().min(1).max(200),
  group_ids: z.array(opaqueId),
});

export const student = z.strictObject({
  tenant_id: tenantId,
  student_id: opaqueId,
  name: z.string().min(1).max(200),
  /** May be missing or invalid: the registry sync reports such students. */
  curp: z.string().max(18).nullable(),
  group_id: opaqueId,
  grade_level: z.number().int().min(1).max(9),
});

export const guardian = z.strictObject({
  tenant_id: tenantId,
  guardian_id: opaqueId,
  name: z.string().min(1).max(200),
  student_ids: z.array(opaqueId).min(1),
});

export const subject = z.strictObject({
  subject_code: z.string().regex(/^[A-Z0-9_]{2,16}$/),
  name: z.string(),
  grade_levels: z.array(z.number().int().min(1).max(9)),
});

export type School = z.infer<typeof school>;
export type Group = z.infer<typeof group>;
export type Teacher = z.infer<typeof teacher>;
export type Student = z.infer<typeof student>;
export type Guardian = z.infer<typeof guardian>;
export type Subject = z.infer<typeof subject>;
