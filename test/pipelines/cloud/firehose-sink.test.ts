import {
  FirehoseClient,
  PutRecordBatchCommand,
  ResourceNotFoundException,
  ServiceUnavailableException,
} from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { FirehoseSink } from '../../../pipelines/cloud/index.js';
import { lakeRowOf, recordingSleep } from './sink-factories.js';

const firehose = mockClient(FirehoseClient);
const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

function sinkWith(sleep: (ms: number) => Promise<void>) {
  return new FirehoseSink({
    client: new FirehoseClient({ region: 'us-east-1' }),
    deliveryStreamName: 'luca-grade-events',
    policy,
    sleep,
    random: () => 1,
  });
}

function sentIds(callIndex: number): string[] {
  const input = firehose.commandCalls(PutRecordBatchCommand)[callIndex]?.args[0].input;

  return (input?.Records ?? []).map((r) => JSON.parse(new TextDecoder().decode(r.Data)).event_id);
}

function allOk(count: number) {
  return {
    FailedPutCount: 0,
    RequestResponses: Array.from({ length: count }, (_v, i) => ({ RecordId: `r${i}` })),
  };
}

afterEach(() => firehose.reset());

describe('FirehoseSink', () => {
  it('splits 1,201 records into calls of at most 500', async () => {
    // Prepare
    firehose.on(PutRecordBatchCommand).callsFake((input) => allOk(input.Records.length));
    const rows = Array.from({ length: 1201 }, (_v, i) => lakeRowOf(i));

    // Act
    const result = await sinkWith(recordingSleep().sleep).send(rows);

    // Assess
    const sizes = firehose
      .commandCalls(PutRecordBatchCommand)
      .map((c) => c.args[0].input.Records?.length);
    expect(sizes).toEqual([500, 500, 201]);
    expect(result).toMatchObject({ delivered: 1201, failed: [], attempts: 1, calls: 3 });
  });

  it('splits by bytes so no call passes 4 MiB', async () => {
    // Prepare: 12 records of ~900 KiB = ~10.5 MiB.
    firehose.on(PutRecordBatchCommand).callsFake((input) => allOk(input.Records.length));
    const rows = Array.from({ length: 12 }, (_v, i) => lakeRowOf(i, 900 * 1024));

    // Act
    const result = await sinkWith(recordingSleep().sleep).send(rows);

    // Assess
    const calls = firehose.commandCalls(PutRecordBatchCommand);
    const bytes = calls.map((c) =>
      (c.args[0].input.Records ?? []).reduce((s, r) => s + (r.Data?.byteLength ?? 0), 0),
    );
    expect(calls.map((c) => c.args[0].input.Records?.length)).toEqual([4, 4, 4]);
    expect(Math.max(...bytes)).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(result.delivered).toBe(12);
  });

  it('fails a record over 1,000 KiB without sending it', async () => {
    // Prepare
    firehose.on(PutRecordBatchCommand).callsFake((input) => allOk(input.Records.length));
    const rows = [lakeRowOf(1), lakeRowOf(2, 1000 * 1024)];

    // Act
    const result = await sinkWith(recordingSleep().sleep).send(rows);

    // Assess
    expect(sentIds(0)).toEqual([rows[0]?.event_id]);
    expect(result.failed).toEqual([
      expect.objectContaining({ record: rows[1], code: 'RecordTooLarge', attempts: 0 }),
    ]);
  });

  it('re-sends only the records Firehose reported as failed', async () => {
    // Prepare
    const rows = [lakeRowOf(1), lakeRowOf(2), lakeRowOf(3)];
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({
        FailedPutCount: 1,
        RequestResponses: [
          { RecordId: 'a' },
          { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' },
          { RecordId: 'c' },
        ],
      })
      .resolves(allOk(1));
    const { delays, sleep } = recordingSleep();

    // Act
    const result = await sinkWith(sleep).send(rows);

    // Assess
    expect(sentIds(1)).toEqual([rows[1]?.event_id]);
    expect(result).toMatchObject({ delivered: 3, failed: [], attempts: 2, calls: 2 });
    expect(delays).toEqual([100]);
  });

  it('retries a throttled call with growing, capped delays', async () => {
    // Prepare
    const throttled = new ServiceUnavailableException({ message: 'Slow down.', $metadata: {} });
    firehose
      .on(PutRecordBatchCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves(allOk(2));
    const { delays, sleep } = recordingSleep();

    // Act
    const result = await sinkWith(sleep).send([lakeRowOf(1), lakeRowOf(2)]);

    // Assess
    expect(result).toMatchObject({ delivered: 2, failed: [], attempts: 4 });
    expect(delays).toEqual([100, 200, 400]);
  });

  it('gives up after the last attempt and returns the failed records', async () => {
    // Prepare
    const rows = [lakeRowOf(1), lakeRowOf(2)];
    firehose.on(PutRecordBatchCommand).callsFake((input) => ({
      FailedPutCount: 1,
      RequestResponses: input.Records.map((_r: unknown, i: number) =>
        i === input.Records.length - 1
          ? { ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }
          : { RecordId: 'ok' },
      ),
    }));
    const { delays, sleep } = recordingSleep();

    // Act
    const result = await sinkWith(sleep).send(rows);

    // Assess
    expect(result.delivered).toBe(1);
    expect(result.failed).toEqual([
      { record: rows[1], code: 'InternalFailure', message: 'boom', attempts: 4 },
    ]);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(4);
    expect(delays).toEqual([100, 200, 400]);
  });

  it('does not retry a call that can never succeed', async () => {
    // Prepare
    const missing = new ResourceNotFoundException({ message: 'no such stream', $metadata: {} });
    firehose.on(PutRecordBatchCommand).rejects(missing);

    // Act
    const result = await sinkWith(recordingSleep().sleep).send([lakeRowOf(1)]);

    // Assess
    expect(result.failed).toEqual([
      expect.objectContaining({ code: 'ResourceNotFoundException', attempts: 1 }),
    ]);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(1);
  });

  it('refuses limits above the PutRecordBatch quotas with CLOUD_ERR_SINK_CONFIG', () => {
    // Act
    const build = () =>
      new FirehoseSink({
        client: new FirehoseClient({ region: 'us-east-1' }),
        deliveryStreamName: 'luca-grade-events',
        limits: { maxRecords: 501, maxBytes: 4 * 1024 * 1024, maxRecordBytes: 1000 * 1024 },
        policy: { maxAttempts: 0, baseDelayMs: 100, maxDelayMs: 1_000 },
      });

    // Assess
    expect(build).toThrow(
      expect.objectContaining({
        code: 'CLOUD_ERR_SINK_CONFIG',
        message: expect.stringMatching(/maxAttempts.*maxRecords must be between 1 and 500/),
      }),
    );
  });

  it('sends each row as one newline-terminated JSON object', async () => {
    // Prepare
    firehose.on(PutRecordBatchCommand).callsFake((input) => allOk(input.Records.length));
    const row = lakeRowOf(7);

    // Act
    await sinkWith(recordingSleep().sleep).send([row]);

    // Assess
    const data = firehose.commandCalls(PutRecordBatchCommand)[0]?.args[0].input.Records?.[0]?.Data;
    const text = new TextDecoder().decode(data);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(row);
    expect(firehose.commandCalls(PutRecordBatchCommand)[0]?.args[0].input.DeliveryStreamName).toBe(
      'luca-grade-events',
    );
  });
});
