import type { z } from 'zod';
import type { recordInput } from './inputs.js';
import type { EvaluationItem, HistoryEntry } from './types.js';

/** A record request after parsing, with its final id and group. */
export type RecordFields = z.output<typeof recordInput> & {
  evaluation_id: string;
  group_id: string;
};

/** The evaluation as it was right after `version` (the answer to a retried request). */
export function evaluationAt(item: EvaluationItem, version: number): EvaluationItem {
  if (version >= item.version) return item;
  const history = item.history.filter((entry) => entry.version <= version);
  const last = history.at(-1) as HistoryEntry;

  return {
    ...item,
    history,
    version,
    score: last.score,
    max_score: last.max_score,
    is_missing: last.is_missing,
    status: last.change === 'voided' ? 'voided' : 'active',
    correction_seq: last.correction_seq,
    last_reason_code: last.reason_code,
    is_after_close: last.is_after_close,
    updated_at: last.at,
    updated_by_id: last.by_id,
    updated_by_role: last.by_role,
    trace_id: last.trace_id,
    event_id: last.event_id,
  };
}

/** The item after one more change. */
export function applyEntry(item: EvaluationItem, entry: HistoryEntry): EvaluationItem {
  return {
    ...item,
    history: [...item.history, entry],
    version: entry.version,
    score: entry.score,
    max_score: entry.max_score,
    is_missing: entry.is_missing,
    status: entry.change === 'voided' ? 'voided' : item.status,
    correction_seq: entry.correction_seq,
    last_reason_code: entry.reason_code ?? item.last_reason_code,
    is_after_close: entry.is_after_close,
    updated_at: entry.at,
    updated_by_id: entry.by_id,
    updated_by_role: entry.by_role,
    trace_id: entry.trace_id,
    event_id: entry.event_id,
  };
}

/** The item a record creates: version 1 with its first history entry. */
export function firstItem(input: RecordFields, entry: HistoryEntry): EvaluationItem {
  return {
    tenant_id: input.tenant_id,
    student_id: input.student_id,
    evaluation_id: input.evaluation_id,
    group_id: input.group_id,
    subject_code: input.subject_code,
    period_id: input.period_id,
    category: input.category,
    score: entry.score,
    max_score: entry.max_score,
    is_missing: entry.is_missing,
    is_extra_credit: input.is_extra_credit,
    status: 'active',
    version: 1,
    correction_seq: 0,
    last_reason_code: null,
    is_after_close: false,
    recorded_at: entry.at,
    updated_at: entry.at,
    updated_by_id: entry.by_id,
    updated_by_role: entry.by_role,
    trace_id: entry.trace_id,
    event_id: entry.event_id,
    history: [entry],
  };
}
