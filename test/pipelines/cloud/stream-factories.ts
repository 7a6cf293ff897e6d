import { marshall } from '@aws-sdk/util-dynamodb';
import {
  type DynamoStreamRecord,
  type EvaluationItem,
  evaluationSortKey,
  studentPartitionKey,
} from '../../../pipelines/cloud/index.js';

/** An evaluation item as the store writes it, with overrides. */
export function evaluationItemOf(overrides: Partial<EvaluationItem> = {}): EvaluationItem {
  const base = {
    entity: 'evaluation' as const,
    tenant_id: 't-09dpr0001a',
    student_id: 'stu-000123',
    evaluation_id: 'ev-0001',
    group_id: 'grp-3a',
    subject_code: 'MAT',
    period_id: '2026-2027/P1',
    category: 'exam',
    score: 8.5,
    max_score: 10,
    is_missing: false,
    is_extra_credit: false,
    status: 'active' as const,
    version: 1,
    correction_seq: 0,
    is_after_close: false,
    updated_at: '2026-10-05T15:00:00.000Z',
    updated_by_id: 'tch-0042',
    updated_by_role: 'teacher' as const,
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    event_id: '019a0000-0000-7000-8000-000000000001',
    ...overrides,
  };

  return {
    PK: studentPartitionKey(base.tenant_id, base.student_id),
    SK: evaluationSortKey(base.period_id, base.subject_code, base.evaluation_id),
    ...base,
  };
}

let sequence = 100;

/** A stream record as Pipes delivers it (NEW_AND_OLD_IMAGES), built with the SDK's marshaller. */
export function streamRecordOf(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { newItem?: object; oldItem?: object },
  extra: Partial<DynamoStreamRecord> = {},
): DynamoStreamRecord {
  sequence += 1;
  const item = (images.newItem ?? images.oldItem) as { PK: string; SK: string };

  return {
    eventID: `evt-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:111122223333:table/luca-evaluations/stream/x',
    dynamodb: {
      ApproximateCreationDateTime: 1_791_212_401,
      Keys: marshall({ PK: item.PK, SK: item.SK }),
      NewImage: images.newItem
        ? marshall(images.newItem, { removeUndefinedValues: true })
        : undefined,
      OldImage: images.oldItem
        ? marshall(images.oldItem, { removeUndefinedValues: true })
        : undefined,
      SequenceNumber: `${sequence}000000000000000000001`,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    ...extra,
  } as DynamoStreamRecord;
}
