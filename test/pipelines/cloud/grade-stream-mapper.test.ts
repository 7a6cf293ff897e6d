import { describe, expect, it } from 'vitest';
import { mapStreamRecord } from '../../../pipelines/cloud/index.js';
import { evaluationItemOf, streamRecordOf } from './stream-factories.js';

function eventOf(mapping: ReturnType<typeof mapStreamRecord>) {
  if (mapping.kind !== 'event')
    throw new Error(`expected an event, got ${JSON.stringify(mapping)}`);

  return mapping.event;
}

describe('mapStreamRecord', () => {
  it('maps an INSERT to evaluation.recorded with the item change id', () => {
    // Prepare
    const item = evaluationItemOf();
    const record = streamRecordOf('INSERT', { newItem: item });

    // Act
    const event = eventOf(mapStreamRecord(record));

    // Assess
    expect(event).toMatchObject({
      event_id: item.event_id,
      tenant_id: 't-09dpr0001a',
      event_type: 'evaluation.recorded',
      schema_version: 1,
      occurred_at: '2026-10-05T15:00:00.000Z',
      received_at: '2026-10-05T15:00:01.000Z',
      actor: { id: 'tch-0042', role: 'teacher' },
      student_id: 'stu-000123',
      trace_id: item.trace_id,
    });
    expect(event.payload).toEqual({
      evaluation_id: 'ev-0001',
      group_id: 'grp-3a',
      subject_code: 'MAT',
      period_id: '2026-2027/P1',
      category: 'exam',
      score: 8.5,
      max_score: 10,
      is_missing: false,
      is_extra_credit: false,
    });
  });

  it('maps a MODIFY with a new correction to evaluation.corrected', () => {
    // Prepare
    const oldItem = evaluationItemOf();
    const newItem = evaluationItemOf({
      score: 9,
      version: 2,
      correction_seq: 1,
      last_reason_code: 'regrade',
      is_after_close: true,
      event_id: '019a0000-0000-7000-8000-000000000002',
    });

    // Act
    const event = eventOf(mapStreamRecord(streamRecordOf('MODIFY', { newItem, oldItem })));

    // Assess
    expect(event.event_type).toBe('evaluation.corrected');
    expect(event.event_id).toBe('019a0000-0000-7000-8000-000000000002');
    expect(event.payload).toMatchObject({
      score: 9,
      reason_code: 'regrade',
      correction_seq: 1,
      is_after_close: true,
    });
  });

  it('maps a MODIFY to status voided to evaluation.voided with the stored reason', () => {
    // Prepare
    const oldItem = evaluationItemOf();
    const newItem = evaluationItemOf({
      status: 'voided',
      version: 2,
      last_reason_code: 'duplicate',
    });

    // Act
    const event = eventOf(mapStreamRecord(streamRecordOf('MODIFY', { newItem, oldItem })));

    // Assess
    expect(event.event_type).toBe('evaluation.voided');
    expect(event.payload).toEqual({
      evaluation_id: 'ev-0001',
      subject_code: 'MAT',
      period_id: '2026-2027/P1',
      reason_code: 'duplicate',
    });
  });

  it('skips a MODIFY of an item that was already voided', () => {
    // Prepare
    const oldItem = evaluationItemOf({ status: 'voided', last_reason_code: 'duplicate' });
    const newItem = { ...oldItem, version: 3 };

    // Act
    const mapping = mapStreamRecord(streamRecordOf('MODIFY', { newItem, oldItem }));

    // Assess
    expect(mapping).toEqual({ kind: 'skipped', reason: 'already_voided' });
  });

  it('skips a MODIFY that changes no grade field', () => {
    // Prepare
    const oldItem = evaluationItemOf();
    const newItem = { ...oldItem, version: 2 };

    // Act
    const mapping = mapStreamRecord(streamRecordOf('MODIFY', { newItem, oldItem }));

    // Assess
    expect(mapping).toEqual({ kind: 'skipped', reason: 'unchanged' });
  });

  it('maps a REMOVE to evaluation.voided with reason other and a stable event id', () => {
    // Prepare
    const oldItem = evaluationItemOf({ version: 4 });
    const first = streamRecordOf('REMOVE', { oldItem });
    const redelivered = { ...first, eventID: 'evt-redelivery' };

    // Act
    const event = eventOf(mapStreamRecord(first));
    const again = eventOf(mapStreamRecord(redelivered));

    // Assess
    expect(event.event_type).toBe('evaluation.voided');
    expect(event.payload).toMatchObject({ reason_code: 'other' });
    expect(event.actor).toEqual({ id: 'system.dynamodb', role: 'service' });
    expect(event.occurred_at).toBe('2026-10-05T15:00:01.000Z');
    expect(event.event_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(event.event_id).not.toBe(oldItem.event_id);
    expect(again.event_id).toBe(event.event_id);
  });

  it('names the TTL sweeper as the actor of a TTL deletion', () => {
    // Prepare
    const record = streamRecordOf(
      'REMOVE',
      { oldItem: evaluationItemOf() },
      { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } },
    );

    // Act
    const event = eventOf(mapStreamRecord(record));

    // Assess
    expect(event.actor).toEqual({ id: 'system.dynamodb_ttl', role: 'service' });
  });

  it('skips a REMOVE of an item that was already voided', () => {
    // Prepare
    const oldItem = evaluationItemOf({ status: 'voided', last_reason_code: 'other' });

    // Act
    const mapping = mapStreamRecord(streamRecordOf('REMOVE', { oldItem }));

    // Assess
    expect(mapping).toEqual({ kind: 'skipped', reason: 'already_voided' });
  });

  it('skips roster items that share the table', () => {
    // Prepare
    const roster = { PK: 'T#t-09dpr0001a#STU#stu-1', SK: 'PROFILE', entity: 'student' };

    // Act
    const mapping = mapStreamRecord(streamRecordOf('INSERT', { newItem: roster }));

    // Assess
    expect(mapping).toEqual({ kind: 'skipped', reason: 'not_an_evaluation' });
  });

  it('reports an evaluation item that breaks the contract, naming the field but not its value', () => {
    // Prepare
    const item = evaluationItemOf({ subject_code: 'Matemáticas de Juan' });

    // Act
    const mapping = mapStreamRecord(streamRecordOf('INSERT', { newItem: item }));

    // Assess
    expect(mapping.kind).toBe('unmappable');
    const reason = mapping.kind === 'unmappable' ? mapping.reason : '';
    expect(reason).toContain('subject_code');
    expect(reason).not.toContain('Juan');
  });

  it('reports a correction whose correction_seq is still 0', () => {
    // Prepare
    const oldItem = evaluationItemOf({ correction_seq: 0, score: 7 });
    const newItem = evaluationItemOf({ correction_seq: 0, score: 9, status: 'active' });
    const record = streamRecordOf('MODIFY', { newItem, oldItem: { ...oldItem, status: 'voided' } });

    // Act
    const mapping = mapStreamRecord(record);

    // Assess
    expect(mapping).toMatchObject({ kind: 'unmappable' });
  });

  it('reports a record without images', () => {
    // Prepare
    const record = streamRecordOf('INSERT', { newItem: evaluationItemOf() });
    delete record.dynamodb?.NewImage;

    // Act
    const mapping = mapStreamRecord(record);

    // Assess
    expect(mapping).toEqual({
      kind: 'unmappable',
      reason: 'record has no image (stream view type?)',
    });
  });
});
