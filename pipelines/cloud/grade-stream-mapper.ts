import type { z } from 'zod';
import {
  type CanonicalEvent,
  canonicalEnvelope,
  evaluationCorrectedV1,
  evaluationRecordedV1,
  evaluationVoidedV1,
} from '../../core/index.js';
import { type EvaluationItem, evaluationItem, evaluationTable } from './evaluation-table.js';
import { deterministicTraceId, deterministicUuidV7 } from './lake-row.js';
import { type DynamoStreamRecord, decodeImage, type StreamImage } from './stream-record.js';

/** Why a record was skipped on purpose (counted and logged, never an error). */
export type SkipReason = 'not_an_evaluation' | 'already_voided' | 'unchanged';

/** What one stream record becomes. */
export type StreamMapping =
  | { kind: 'event'; event: CanonicalEvent }
  | { kind: 'skipped'; reason: SkipReason }
  | { kind: 'unmappable'; reason: string };

/** Actors of deletions: the table's TTL sweeper, or a delete that names no author. */
const ttlActor = { id: 'system.dynamodb_ttl', role: 'service' } as const;
const deleteActor = { id: 'system.dynamodb', role: 'service' } as const;

function describeIssues(error: z.ZodError): string {
  // Paths and issue codes only: a message may quote the offending value.
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`)
    .join('; ');
}

function decodeItem(image: StreamImage): { item?: EvaluationItem; problem?: string } {
  const parsed = evaluationItem.safeParse(decodeImage(image));
  if (!parsed.success) return { problem: `item ${describeIssues(parsed.error)}` };

  return { item: parsed.data };
}

function streamInstant(record: DynamoStreamRecord): string | undefined {
  const seconds = record.dynamodb?.ApproximateCreationDateTime;

  return seconds === undefined ? undefined : new Date(Math.round(seconds * 1000)).toISOString();
}

function envelopeFor(
  item: EvaluationItem,
  record: DynamoStreamRecord,
  eventType: CanonicalEvent['event_type'],
  payload: Record<string, unknown>,
): Omit<CanonicalEvent, 'payload'> & { payload: Record<string, unknown> } {
  return {
    event_id: item.event_id,
    tenant_id: item.tenant_id,
    event_type: eventType,
    schema_version: 1,
    occurred_at: item.updated_at,
    received_at: streamInstant(record) ?? item.updated_at,
    actor: { id: item.updated_by_id, role: item.updated_by_role },
    student_id: item.student_id,
    trace_id: item.trace_id,
    payload,
  };
}

function recordedPayload(item: EvaluationItem): unknown {
  return {
    evaluation_id: item.evaluation_id,
    group_id: item.group_id,
    subject_code: item.subject_code,
    period_id: item.period_id,
    category: item.category,
    score: item.score,
    max_score: item.max_score,
    is_missing: item.is_missing,
    is_extra_credit: item.is_extra_credit,
  };
}

function correctedPayload(item: EvaluationItem): unknown {
  return {
    evaluation_id: item.evaluation_id,
    subject_code: item.subject_code,
    period_id: item.period_id,
    score: item.score,
    max_score: item.max_score,
    is_missing: item.is_missing,
    reason_code: item.last_reason_code,
    correction_seq: item.correction_seq,
    is_after_close: item.is_after_close,
  };
}

function voidedPayload(item: EvaluationItem, reasonCode: string | undefined): unknown {
  return {
    evaluation_id: item.evaluation_id,
    subject_code: item.subject_code,
    period_id: item.period_id,
    reason_code: reasonCode,
  };
}

function finish(
  draft: Omit<CanonicalEvent, 'payload'>,
  schema: z.ZodType,
  rawPayload: unknown,
): StreamMapping {
  const payload = schema.safeParse(rawPayload);
  if (!payload.success)
    return { kind: 'unmappable', reason: `payload ${describeIssues(payload.error)}` };

  const event = canonicalEnvelope.safeParse({ ...draft, payload: payload.data });
  if (!event.success)
    return { kind: 'unmappable', reason: `envelope ${describeIssues(event.error)}` };

  return { kind: 'event', event: event.data };
}

function mapInsert(item: EvaluationItem, record: DynamoStreamRecord): StreamMapping {
  if (item.status !== 'active') return { kind: 'unmappable', reason: 'insert of a voided item' };
  const draft = envelopeFor(item, record, 'evaluation.recorded', {});

  return finish(draft, evaluationRecordedV1, recordedPayload(item));
}

function mapModify(
  item: EvaluationItem,
  old: EvaluationItem | undefined,
  record: DynamoStreamRecord,
): StreamMapping {
  if (item.status === 'voided') {
    if (old?.status === 'voided') return { kind: 'skipped', reason: 'already_voided' };
    const draft = envelopeFor(item, record, 'evaluation.voided', {});

    return finish(draft, evaluationVoidedV1, voidedPayload(item, item.last_reason_code));
  }
  const unchanged =
    old !== undefined && old.status === 'active' && old.correction_seq === item.correction_seq;
  if (unchanged) return { kind: 'skipped', reason: 'unchanged' };
  const draft = envelopeFor(item, record, 'evaluation.corrected', {});

  return finish(draft, evaluationCorrectedV1, correctedPayload(item));
}

function mapRemove(old: EvaluationItem, record: DynamoStreamRecord): StreamMapping {
  if (old.status === 'voided') return { kind: 'skipped', reason: 'already_voided' };

  // The deletion has no change id of its own: derive one from the item and the
  // version it removed, so a redelivered REMOVE maps to the same event_id.
  const at = streamInstant(record) ?? old.updated_at;
  const seed = `${old.PK}|${old.SK}|${old.version}|remove`;
  const byTtl = record.userIdentity?.principalId === 'dynamodb.amazonaws.com';
  const draft = {
    ...envelopeFor(old, record, 'evaluation.voided', {}),
    event_id: deterministicUuidV7(Date.parse(at), seed),
    occurred_at: at,
    received_at: at,
    actor: byTtl ? ttlActor : deleteActor,
    trace_id: deterministicTraceId(seed),
  };

  return finish(draft, evaluationVoidedV1, voidedPayload(old, 'other'));
}

function entityOf(image: StreamImage | undefined): string | undefined {
  return image?.entity?.S;
}

/**
 * Maps one DynamoDB Streams record of the evaluations table (view type
 * NEW_AND_OLD_IMAGES) to a canonical grade event, with raw ids (the caller
 * pseudonymises them on the way to the lake):
 * INSERT → `evaluation.recorded`; MODIFY to `status = voided` →
 * `evaluation.voided`; other MODIFY → `evaluation.corrected`; REMOVE →
 * `evaluation.voided` (reason `other`) unless the item was already voided.
 * Items of other entities (roster) are skipped.
 */
export function mapStreamRecord(record: DynamoStreamRecord): StreamMapping {
  const newImage = record.dynamodb?.NewImage;
  const oldImage = record.dynamodb?.OldImage;
  const image = newImage ?? oldImage;
  if (!image) return { kind: 'unmappable', reason: 'record has no image (stream view type?)' };
  if (entityOf(image) !== evaluationTable.evaluationEntity) {
    return { kind: 'skipped', reason: 'not_an_evaluation' };
  }

  const current = decodeItem(image);
  if (!current.item) return { kind: 'unmappable', reason: current.problem ?? 'invalid item' };
  if (record.eventName === 'INSERT') return mapInsert(current.item, record);
  if (record.eventName === 'REMOVE') return mapRemove(current.item, record);
  if (record.eventName !== 'MODIFY') {
    return { kind: 'unmappable', reason: `unknown eventName ${String(record.eventName)}` };
  }
  const previous = oldImage ? decodeItem(oldImage).item : undefined;

  return mapModify(current.item, previous, record);
}
