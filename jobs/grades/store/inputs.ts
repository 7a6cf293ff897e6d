import { z } from 'zod';
import { changeReasonCode, instant, opaqueId, periodId, tenantId } from '../../../core/index.js';

export type ChangeReasonCode = z.infer<typeof changeReasonCode>;

const subjectCode = z.string().regex(/^[A-Z0-9_]{2,16}$/, 'a subject code is 2-16 of A-Z 0-9 _');
const score = z.number().finite().min(0).max(1000);
const reasonText = z.string().trim().min(3).max(500);

/** Recording an evaluation. Without `evaluation_id` the store makes one. */
export const recordInput = z
  .strictObject({
    tenant_id: tenantId,
    evaluation_id: opaqueId.optional(),
    student_id: opaqueId,
    group_id: opaqueId.optional(),
    subject_code: subjectCode,
    period_id: periodId,
    category: opaqueId,
    score,
    max_score: score.positive(),
    is_missing: z.boolean().default(false),
    is_extra_credit: z.boolean().default(false),
    /** Only bulk imports set it: when the teacher captured the value. */
    recorded_at: instant.optional(),
  })
  .refine((value) => value.score <= value.max_score, {
    message: 'score must not exceed max_score',
    path: ['score'],
  });
export type RecordInput = z.input<typeof recordInput>;

/** A new value for an evaluation; `reason` is required after the period's close. */
export const correctInput = z.strictObject({
  tenant_id: tenantId,
  evaluation_id: opaqueId,
  score,
  max_score: score.positive().optional(),
  is_missing: z.boolean().optional(),
  reason_code: changeReasonCode,
  reason: reasonText.optional(),
  /** The version the caller saw (`If-Match`); a mismatch is refused. */
  expected_version: z.number().int().min(1).optional(),
});
export type CorrectInput = z.input<typeof correctInput>;

export const voidInput = z.strictObject({
  tenant_id: tenantId,
  evaluation_id: opaqueId,
  reason_code: changeReasonCode,
  reason: reasonText.optional(),
  expected_version: z.number().int().min(1).optional(),
});
export type VoidInput = z.input<typeof voidInput>;

/** A line of `seed/evaluations.jsonl`: a recorded evaluation and its teacher. */
export const evaluationImportLine = z.strictObject({
  tenant_id: tenantId,
  evaluation_id: opaqueId,
  student_id: opaqueId,
  group_id: opaqueId.optional(),
  teacher_id: opaqueId.optional(),
  subject_code: subjectCode,
  period_id: periodId,
  category: opaqueId,
  score,
  max_score: score.positive(),
  is_missing: z.boolean().default(false),
  is_extra_credit: z.boolean().default(false),
  recorded_at: instant,
});
export type EvaluationImportLine = z.infer<typeof evaluationImportLine>;

/** Readable one-line summary of a zod error (the first three issues). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
