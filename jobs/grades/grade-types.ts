/**
 * The rows consolidation reads and writes, shared by the SQL model and the
 * TypeScript reference so both can be compared field by field.
 */

/** The current state of one evaluation (latest correction applied upstream). */
export interface EvaluationRow {
  readonly tenant_id: string;
  readonly student_id: string;
  readonly subject_code: string;
  readonly period_id: string;
  readonly evaluation_id: string;
  readonly category: string;
  readonly score: number;
  readonly max_score: number;
  readonly is_missing: boolean;
  readonly is_extra_credit: boolean;
  readonly is_voided: boolean;
  /** The latest correction's score, if any; it replaces `score`. */
  readonly corrected_score: number | null;
}

/** Why an evaluation did not enter any category average. */
export type IgnoredReason =
  | 'voided'
  | 'unknown_category'
  | 'extra_credit_not_allowed'
  | 'missing_extra_credit';

export interface ExplainedValue {
  readonly evaluation_id: string;
  /** Normalised to the scale, exact to 12 decimals, trailing zeros removed. */
  readonly value: string;
}

export interface CategoryExplanation {
  readonly id: string;
  readonly weight: string;
  /** True when the category had at least one counted value, so its weight was applied. */
  readonly applied: boolean;
  readonly average: string | null;
  /** Values kept, by evaluation id. */
  readonly values: ExplainedValue[];
  /** Values dropped by `drop_lowest`, lowest first. */
  readonly dropped: ExplainedValue[];
}

/** The explanation stored with every consolidated grade (docs/grades.md). */
export interface GradeExplanation {
  readonly policy: { readonly id: string; readonly version: number; readonly hash: string };
  readonly status: 'graded' | 'no_counted_values';
  readonly categories: CategoryExplanation[];
  readonly missing: { readonly rule: string; readonly evaluation_ids: string[] };
  readonly extra_credit: {
    readonly max_points: string;
    readonly earned: string;
    readonly applied: string;
    readonly evaluation_ids: string[];
  };
  readonly ignored: Array<{ readonly evaluation_id: string; readonly reason: IgnoredReason }>;
  readonly weight_total: string;
  readonly weighted_average: string | null;
  readonly capped_at_max: boolean;
  readonly unrounded: string | null;
  readonly rounding: {
    readonly mode: string;
    readonly decimals: number;
    readonly result: string | null;
  };
  readonly failing_reported_as_min: boolean;
  readonly grade: string | null;
  readonly computed_at: string;
}

/** One consolidated grade per tenant, student, subject and period. */
export interface ConsolidatedGrade {
  readonly tenant_id: string;
  readonly student_id: string;
  readonly subject_code: string;
  readonly period_id: string;
  /** The reported grade with the policy's decimals, e.g. `"7.8"`; null when nothing counted. */
  readonly grade: string | null;
  /** Exact value before rounding, to 12 decimals. */
  readonly grade_unrounded: string | null;
  readonly is_passing: boolean | null;
  readonly explanation: GradeExplanation;
}

/** The period's general average of one student over the subjects not excluded. */
export interface GeneralAverage {
  readonly tenant_id: string;
  readonly student_id: string;
  readonly period_id: string;
  readonly general_average: string;
  readonly general_average_unrounded: string;
  readonly subjects_count: number;
  /** Subject codes averaged, sorted, comma separated. */
  readonly subject_codes: string;
}
