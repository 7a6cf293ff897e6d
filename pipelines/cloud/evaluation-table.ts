import { z } from 'zod';
import {
  changeReasonCode,
  instant,
  opaqueId,
  periodId,
  roles,
  tenantId,
} from '../../core/index.js';

/**
 * The evaluations single-table design shared by the DynamoDB store and the
 * Pipes enrichment (documented in docs/cloud-architecture.md):
 *
 *   PK = T#<tenant_id>#STU#<student_id>
 *   SK = EVAL#<period_id>#<subject_code>#<evaluation_id>
 *
 * The tenant is the first key segment, so IAM `dynamodb:LeadingKeys` on
 * `T#<tenant>#*` confines a caller to its own tenant's items. Roster items
 * share the table with other `entity` values and other SK prefixes.
 */
export const evaluationTable = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'expires_at',
  evaluationEntity: 'evaluation',
  evaluationSortKeyPrefix: 'EVAL#',
} as const;

/** The partition key of a student's items. */
export function studentPartitionKey(tenant: string, studentId: string): string {
  return `T#${tenant}#STU#${studentId}`;
}

/** The sort key of one evaluation. */
export function evaluationSortKey(periodIdValue: string, subject: string, evaluationId: string) {
  return `${evaluationTable.evaluationSortKeyPrefix}${periodIdValue}#${subject}#${evaluationId}`;
}

/** The IAM `dynamodb:LeadingKeys` pattern for a tenant (a principal-tag variable in policies). */
export function tenantLeadingKeyPattern(tenant: string): string {
  return `T#${tenant}#*`;
}

/** One evaluation item as the store writes it (decoded from DynamoDB JSON). */
export const evaluationItem = z.object({
  PK: z.string(),
  SK: z.string(),
  entity: z.literal('evaluation'),
  tenant_id: tenantId,
  student_id: opaqueId,
  evaluation_id: opaqueId,
  group_id: opaqueId.optional(),
  subject_code: z.string(),
  period_id: periodId,
  category: opaqueId,
  score: z.number(),
  max_score: z.number(),
  is_missing: z.boolean(),
  is_extra_credit: z.boolean(),
  status: z.enum(['active', 'voided']),
  version: z.number().int().min(1),
  correction_seq: z.number().int().min(0),
  last_reason_code: changeReasonCode.optional(),
  is_after_close: z.boolean().default(false),
  updated_at: instant,
  updated_by_id: opaqueId,
  updated_by_role: z.enum(roles),
  trace_id: z.string(),
  event_id: z.string(),
});
export type EvaluationItem = z.infer<typeof evaluationItem>;
