import { z } from 'zod';
import { opaqueId, periodId } from './ids.js';

/**
 * Why a grade changed, as a code. Free-text reasons live only in the
 * evaluations store, never in events or the lake.
 */
export const changeReasonCode = z.enum([
  'capture_error',
  'regrade',
  'late_submission',
  'registry_correction',
  'duplicate',
  'other',
]);

const score = z.number().finite().min(0).max(1000);

/** `evaluation.recorded` v1: a teacher recorded an evaluation. */
export const evaluationRecordedV1 = z.strictObject({
  evaluation_id: opaqueId,
  group_id: opaqueId.optional(),
  subject_code: z.string().regex(/^[A-Z0-9_]{2,16}$/),
  period_id: periodId,
  category: opaqueId,
  score,
  max_score: score.positive(),
  is_missing: z.boolean().default(false),
  is_extra_credit: z.boolean().default(false),
});

/** `evaluation.corrected` v1: a new value for an existing evaluation. */
export const evaluationCorrectedV1 = z.strictObject({
  evaluation_id: opaqueId,
  subject_code: z.string().regex(/^[A-Z0-9_]{2,16}$/),
  period_id: periodId,
  score,
  max_score: score.positive(),
  is_missing: z.boolean().default(false),
  reason_code: changeReasonCode,
  correction_seq: z.number().int().min(1),
  is_after_close: z.boolean().default(false),
});

/** `evaluation.voided` v1: the evaluation no longer counts. */
export const evaluationVoidedV1 = z.strictObject({
  evaluation_id: opaqueId,
  subject_code: z.string().regex(/^[A-Z0-9_]{2,16}$/),
  period_id: periodId,
  reason_code: changeReasonCode,
});
