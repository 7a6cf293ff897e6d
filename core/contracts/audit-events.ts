import { z } from 'zod';
import { opaqueId } from './ids.js';

/**
 * `audit.recorded` v1: who did what to which resource, and how it ended.
 * The student (if any) is the envelope's `student_id`, pseudonymised in the lake.
 */
export const auditRecordedV1 = z.strictObject({
  action: z.enum([
    'student.session_read',
    'student.session_read_batch',
    'evaluation.recorded',
    'evaluation.corrected',
    'evaluation.corrected_after_close',
    'evaluation.voided',
    'policy.changed',
    'cutoff.created',
    'sync.submitted',
    'student.erased',
  ]),
  resource_type: z.enum(['student', 'evaluation', 'policy', 'cutoff', 'submission']),
  resource_id: opaqueId.optional(),
  outcome: z.enum(['allowed', 'denied', 'not_found', 'error']),
  /** What was returned or changed, as field names (never values). */
  fields: z.array(opaqueId).max(50).default([]),
  http_status: z.number().int().min(100).max(599).optional(),
});
