import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  DynamoGradesStore,
  dynamoKeys,
  ensureGradesTable,
} from '../../../../jobs/grades/store/index.js';
import { type DynamoStreamRecord, mapStreamRecord } from '../../../../pipelines/cloud/index.js';
import { useDynalite } from '../../../support/dynalite.js';
import { evaluation, rosterRecords, teacher, tenantA, testClock } from './factories.js';

const dynamo = useDynalite();

describe('DynamoGradesStore items under the Streams mapping', () => {
  it('map to the same grade events the embedded store puts in its outbox', async () => {
    const { client } = dynamo;
    const tableName = dynamo.tableName('grades-stream-equivalence');
    await ensureGradesTable(client, tableName);
    const store = new DynamoGradesStore({ client, tableName, clock: testClock() });
    await store.putRoster(rosterRecords());
    const key = dynamoKeys.evaluation(tenantA, 'stu-1', '2026-2027/P1', 'MAT', 'ev-s1');
    const image = async () =>
      (
        await client.send(
          new GetItemCommand({
            TableName: tableName,
            Key: { PK: { S: key.PK }, SK: { S: key.SK } },
          }),
        )
      ).Item as DynamoStreamRecord['dynamodb'] & object;
    const base = { tenant_id: tenantA, evaluation_id: 'ev-s1' } as const;

    const changes = [];
    let previous: unknown;
    for (const change of [
      () => store.recordEvaluation(evaluation({ evaluation_id: 'ev-s1' }), teacher),
      () => store.correctEvaluation({ ...base, score: 6.5, reason_code: 'regrade' }, teacher),
      () => store.voidEvaluation({ ...base, reason_code: 'duplicate' }, teacher),
    ]) {
      const result = await change();
      const current = await image();
      const record = {
        eventName: previous ? 'MODIFY' : 'INSERT',
        dynamodb: { NewImage: current, OldImage: previous },
      } as DynamoStreamRecord;
      changes.push({ expected: result.events[0], mapped: mapStreamRecord(record) });
      previous = current;
    }

    for (const { expected, mapped } of changes) {
      expect(mapped.kind).toBe('event');
      const event = mapped.kind === 'event' ? mapped.event : undefined;
      const { received_at: _received, ...comparable } = event ?? {};
      expect(comparable).toEqual(expected);
    }
    await store.close();
  });
});
