import { z } from 'zod';

/**
 * The document `luca jobs publish` writes per student, served as-is by the
 * session read API (one Redis GET). Exported so the reader can validate it.
 * Every feature carries its window, the events behind it, the model and
 * version, and as_of; the disengagement flag names what raised it.
 */
const isoDate = z.iso.date();
const instant = z.iso.datetime({ offset: true });

export const featureWindow = z.strictObject({
  days: z.number().int().positive(),
  start: isoDate,
  end: isoDate,
});

export const snapshotFeature = z.strictObject({
  feature_id: z.string(),
  value: z.number().nullable(),
  unit: z.string(),
  window: featureWindow,
  event_count: z.number().int().min(0),
  model: z.string(),
  version: z.number().int().positive(),
  as_of: isoDate,
});

export const snapshotMastery = z.strictObject({
  topic_id: z.string(),
  value: z.number().min(0).max(1),
  answers: z.number().int().min(0),
  correct: z.number().int().min(0),
  prior: z.strictObject({ alpha: z.number(), beta: z.number() }),
  window: featureWindow,
  model: z.string(),
  version: z.number().int().positive(),
  as_of: isoDate,
});

export const disengagementReason = z.strictObject({
  clause_id: z.string(),
  feature_id: z.string(),
  value: z.number().nullable(),
  op: z.enum(['<=', '>=', '<', '>']),
  threshold: z.number(),
  note: z.string().optional(),
});

export const snapshotCohort = z.strictObject({
  group_size: z.number().int().min(10),
  min_group_size: z.number().int(),
  /** Percentile rank (0-100) of the student within the group, per feature. */
  percentiles: z.record(z.string(), z.number().min(0).max(100).nullable()),
});

export const snapshotProfile = z.strictObject({
  as_of: isoDate,
  features: z.array(snapshotFeature),
  mastery: z.array(snapshotMastery),
  disengagement: z.strictObject({
    flag: z.boolean(),
    rule_id: z.string(),
    version: z.number().int().positive(),
    reasons: z.array(disengagementReason),
  }),
  cohort: snapshotCohort.nullable(),
});

export const snapshotGradeSubject = z.strictObject({
  subject_code: z.string(),
  grade: z.number().nullable(),
  is_passing: z.boolean().nullable(),
  policy_id: z.string(),
  policy_version: z.number(),
  policy_hash: z.string(),
  explanation: z.unknown(),
});

export const snapshotGrades = z.strictObject({
  period_id: z.string(),
  as_of: instant,
  subjects: z.array(snapshotGradeSubject),
  general_average: z.number().nullable(),
});

export const snapshotDocument = z.strictObject({
  schema_version: z.literal(1),
  /**
   * Offsets of the `profile`, `grades` and `freshness` values in the
   * document's text, so the read API splices them without scanning
   * (`snapshot-layout.ts`, ADR 0095); all zeros when the document has none.
   */
  layout: z
    .string()
    .regex(/^\d{7}(,\d{7}){5}$/)
    .optional(),
  tenant_id: z.string(),
  student_id: z.string(),
  snapshot_version: z.string(),
  published_at: instant,
  profile: snapshotProfile.nullable(),
  grades: snapshotGrades.nullable(),
  freshness: z.strictObject({
    /** Events before this instant are in the profile. */
    profile_as_of: instant.nullable(),
    /** When the grades were computed. */
    grades_as_of: instant.nullable(),
  }),
});

export type SnapshotDocument = z.infer<typeof snapshotDocument>;
export type SnapshotProfile = z.infer<typeof snapshotProfile>;
export type SnapshotGrades = z.infer<typeof snapshotGrades>;
export type DisengagementReason = z.infer<typeof disengagementReason>;
