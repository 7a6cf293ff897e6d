import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  isAfterClose,
  newEventId,
  newTraceId,
  periodById,
  type SchoolPeriod,
} from '../../../core/index.js';
import { gradesStoreErrors } from './errors.js';
import { eventsOfChange } from './grade-events.js';
import type { correctInput, voidInput } from './inputs.js';
import { applyEntry, evaluationAt, firstItem, type RecordFields } from './evaluation-state.js';
import type { ChangeContext, ChangeResult, EvaluationItem, HistoryEntry } from './types.js';

/** At most this many changes per evaluation (DynamoDB items are capped at 400 KB). */
export const maxChangesPerEvaluation = 100;

/** The clocks a change is judged by; tests inject both. */
export interface LifecycleClock {
  /** Timestamps of changes and events. */
  now: () => Date;
  /** The school calendar date (`YYYY-MM-DD`) period close rules compare against. */
  today: () => string;
}

export { evaluationAt };

export const systemClock: LifecycleClock = {
  now: () => new Date(),
  today: () => new Date().toISOString().slice(0, 10),
};

/** What a store must do for a request: answer from history, or write. */
export type ChangePlan =
  | { kind: 'replay'; evaluation: EvaluationItem }
  | { kind: 'write'; evaluation: EvaluationItem; expectedVersion: number | null };

/** SHA-256 of a request's operation and normalised fields: retries hash the same. */
export function requestHash(operation: string, fields: Record<string, unknown>): string {
  const sorted = Object.keys(fields)
    .sort()
    .map((key) => [key, fields[key] ?? null]);

  return createHash('sha256')
    .update(JSON.stringify([operation, sorted]))
    .digest('hex');
}

function periodOf(periodId: string): SchoolPeriod {
  const period = periodById(periodId);
  if (!period) {
    throw gradesStoreErrors.create('EVAL_ERR_UNKNOWN_PERIOD', `Unknown period ${periodId}.`);
  }

  return period;
}

function newEntry(
  base: Pick<HistoryEntry, 'change' | 'version' | 'correction_seq' | 'score' | 'max_score'> &
    Partial<HistoryEntry>,
  context: ChangeContext,
  at: string,
): HistoryEntry {
  const isAfterClose = base.is_after_close ?? false;

  return {
    is_missing: false,
    reason_code: null,
    reason: null,
    ...base,
    is_after_close: isAfterClose,
    at,
    by_id: context.actor.id,
    by_role: context.actor.role,
    event_id: context.eventId ?? newEventId(),
    audit_event_id: isAfterClose ? newEventId() : null,
    trace_id: context.traceId ?? newTraceId(),
    idempotency_key: context.idempotencyKey ?? null,
    request_hash: base.request_hash ?? '',
  };
}

function replayOf(item: EvaluationItem, context: ChangeContext, hash: string): ChangePlan | null {
  if (!context.idempotencyKey) return null;
  const earlier = item.history.find((entry) => entry.idempotency_key === context.idempotencyKey);
  if (!earlier) return null;
  if (earlier.request_hash !== hash) {
    throw gradesStoreErrors.create(
      'EVAL_ERR_IDEMPOTENCY_CONFLICT',
      'This Idempotency-Key was used with a different request; use a new key.',
    );
  }

  return { kind: 'replay', evaluation: evaluationAt(item, earlier.version) };
}

function checkWritable(item: EvaluationItem, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== item.version) {
    throw gradesStoreErrors.create(
      'EVAL_ERR_VERSION_MISMATCH',
      `The evaluation is at version ${item.version}, not ${expectedVersion}; reload it and retry.`,
      { details: { current_version: item.version } },
    );
  }
  if (item.history.length >= maxChangesPerEvaluation) {
    throw gradesStoreErrors.create(
      'EVAL_ERR_TOO_MANY_CHANGES',
      `An evaluation keeps at most ${maxChangesPerEvaluation} changes; record a new one instead.`,
    );
  }
}

/**
 * Plans the recording of an evaluation. `existing` is the evaluation already
 * stored under the same id (a retry when the request is the same).
 */
export function planRecord(
  existing: EvaluationItem | undefined,
  input: RecordFields,
  hash: string,
  context: ChangeContext,
  clock: LifecycleClock,
): ChangePlan {
  const period = periodOf(input.period_id);
  if (existing) {
    if (existing.history[0]?.request_hash === hash) {
      return { kind: 'replay', evaluation: evaluationAt(existing, 1) };
    }
    throw gradesStoreErrors.create(
      'EVAL_ERR_IDEMPOTENCY_CONFLICT',
      `Evaluation ${input.evaluation_id} exists with different content; use a new evaluation_id.`,
    );
  }
  const changeDate = input.recorded_at?.slice(0, 10) ?? clock.today();
  if (isAfterClose(period, changeDate)) {
    throw gradesStoreErrors.create(
      'EVAL_ERR_PERIOD_CLOSED',
      `Period ${period.period_id} closed on ${period.closes_on}; only corrections with a reason are accepted.`,
    );
  }
  const at = input.recorded_at ?? clock.now().toISOString();
  const entry = newEntry(
    { change: 'recorded', version: 1, correction_seq: 0, ...pickValues(input), request_hash: hash },
    context,
    at,
  );

  return { kind: 'write', evaluation: firstItem(input, entry), expectedVersion: null };
}

function pickValues(input: { score: number; max_score: number; is_missing?: boolean }) {
  return { score: input.score, max_score: input.max_score, is_missing: input.is_missing ?? false };
}

/** Plans a correction: a new value with a reason, refused on a voided evaluation. */
export function planCorrection(
  item: EvaluationItem | undefined,
  input: z.output<typeof correctInput>,
  hash: string,
  context: ChangeContext,
  clock: LifecycleClock,
): ChangePlan {
  const found = mustExist(item, input.evaluation_id);
  const replay = replayOf(found, context, hash);
  if (replay) return replay;
  checkWritable(found, input.expected_version);
  if (found.status === 'voided') {
    throw gradesStoreErrors.create('EVAL_ERR_VOIDED', 'A voided evaluation cannot be corrected.');
  }
  const afterClose = isAfterClose(periodOf(found.period_id), clock.today());
  if (afterClose && !input.reason) {
    throw gradesStoreErrors.create(
      'EVAL_ERR_REASON_REQUIRED',
      `Period ${found.period_id} is closed: send a reason (free text) with the reason_code.`,
    );
  }
  const values = {
    score: input.score,
    max_score: input.max_score ?? found.max_score,
    is_missing: input.is_missing ?? false,
  };
  if (values.score > values.max_score) {
    throw gradesStoreErrors.create('EVAL_ERR_INVALID_INPUT', 'score must not exceed max_score.');
  }
  const entry = newEntry(
    {
      change: 'corrected',
      version: found.version + 1,
      correction_seq: found.correction_seq + 1,
      ...values,
      reason_code: input.reason_code,
      reason: input.reason ?? null,
      is_after_close: afterClose,
      request_hash: hash,
    },
    context,
    clock.now().toISOString(),
  );

  return { kind: 'write', evaluation: applyEntry(found, entry), expectedVersion: found.version };
}

/** Plans a void; voiding a voided evaluation answers with its current state. */
export function planVoid(
  item: EvaluationItem | undefined,
  input: z.output<typeof voidInput>,
  hash: string,
  context: ChangeContext,
  clock: LifecycleClock,
): ChangePlan {
  const found = mustExist(item, input.evaluation_id);
  const replay = replayOf(found, context, hash);
  if (replay) return replay;
  if (found.status === 'voided') return { kind: 'replay', evaluation: found };
  checkWritable(found, input.expected_version);
  if (isAfterClose(periodOf(found.period_id), clock.today())) {
    throw gradesStoreErrors.create(
      'EVAL_ERR_PERIOD_CLOSED',
      `Period ${found.period_id} is closed; correct the evaluation with a reason instead.`,
    );
  }
  const entry = newEntry(
    {
      change: 'voided',
      version: found.version + 1,
      correction_seq: found.correction_seq,
      ...pickValues(found),
      reason_code: input.reason_code,
      reason: input.reason ?? null,
      request_hash: hash,
    },
    context,
    clock.now().toISOString(),
  );

  return { kind: 'write', evaluation: applyEntry(found, entry), expectedVersion: found.version };
}

function mustExist(item: EvaluationItem | undefined, evaluationId: string): EvaluationItem {
  if (!item) {
    throw gradesStoreErrors.create('EVAL_ERR_NOT_FOUND', `No evaluation ${evaluationId} here.`);
  }

  return item;
}

/** The result of a plan once the store has applied it. */
export function resultOf(plan: ChangePlan): ChangeResult {
  if (plan.kind === 'replay') return { evaluation: plan.evaluation, replayed: true, events: [] };
  const entry = plan.evaluation.history.at(-1) as HistoryEntry;

  return {
    evaluation: plan.evaluation,
    replayed: false,
    events: eventsOfChange(plan.evaluation, entry),
  };
}
