import {
  EventBridgeClient,
  InternalException,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBridgeSink, putEventsEntrySize } from '../../../pipelines/cloud/index.js';
import { lakeRowOf, recordingSleep } from './sink-factories.js';

const eventBridge = mockClient(EventBridgeClient);
const policy = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 1_000 };

function sinkWith(sleep: (ms: number) => Promise<void>) {
  return new EventBridgeSink({
    client: new EventBridgeClient({ region: 'us-east-1' }),
    eventBusName: 'luca-ingest',
    source: 'luca.ingest',
    policy,
    sleep,
    random: () => 0.5,
  });
}

function allOk(count: number) {
  return {
    FailedEntryCount: 0,
    Entries: Array.from({ length: count }, (_v, i) => ({ EventId: `e${i}` })),
  };
}

function callSizes() {
  return eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length);
}

afterEach(() => eventBridge.reset());

describe('EventBridgeSink', () => {
  it('puts at most 10 entries per call', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake((input) => allOk(input.Entries.length));
    const rows = Array.from({ length: 23 }, (_v, i) => lakeRowOf(i));

    // Act
    const result = await sinkWith(recordingSleep().sleep).send(rows);

    // Assess
    expect(callSizes()).toEqual([10, 10, 3]);
    expect(result).toMatchObject({ delivered: 23, failed: [], calls: 3 });
  });

  it('keeps each call within 256 KiB as PutEvents counts it', async () => {
    // Prepare: ~60 KiB entries, so four fit and a fifth would not.
    eventBridge.on(PutEventsCommand).callsFake((input) => allOk(input.Entries.length));
    const rows = Array.from({ length: 9 }, (_v, i) => lakeRowOf(i, 60 * 1024));

    // Act
    await sinkWith(recordingSleep().sleep).send(rows);

    // Assess
    expect(callSizes()).toEqual([4, 4, 1]);
    for (const call of eventBridge.commandCalls(PutEventsCommand)) {
      const total = (call.args[0].input.Entries ?? []).reduce(
        (s, e) => s + putEventsEntrySize(e),
        0,
      );
      expect(total).toBeLessThanOrEqual(256 * 1024);
    }
  });

  it('builds each entry from the row: type, time, pseudonymised detail', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake((input) => allOk(input.Entries.length));
    const row = lakeRowOf(1);

    // Act
    await sinkWith(recordingSleep().sleep).send([row]);

    // Assess
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      EventBusName: 'luca-ingest',
      Source: 'luca.ingest',
      DetailType: 'quiz.answered',
      Time: new Date(row.occurred_at),
    });
    expect(JSON.parse(entry?.Detail ?? '{}')).toEqual(row);
    expect(putEventsEntrySize(entry ?? {})).toBe(
      14 + 'luca.ingest'.length + 'quiz.answered'.length + Buffer.byteLength(entry?.Detail ?? ''),
    );
  });

  it('retries only entries that failed with a transient code and returns the rest', async () => {
    // Prepare
    const rows = [lakeRowOf(1), lakeRowOf(2), lakeRowOf(3)];
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'a' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
          { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed' },
        ],
      })
      .resolves(allOk(1));
    const { delays, sleep } = recordingSleep();

    // Act
    const result = await sinkWith(sleep).send(rows);

    // Assess
    const retried = eventBridge.commandCalls(PutEventsCommand)[1]?.args[0].input.Entries ?? [];
    expect(retried.map((e) => JSON.parse(e.Detail ?? '{}').event_id)).toEqual([rows[1]?.event_id]);
    expect(result.delivered).toBe(2);
    expect(result.failed).toEqual([
      { record: rows[2], code: 'MalformedDetail', message: 'Detail is malformed', attempts: 1 },
    ]);
    expect(delays).toEqual([25]);
  });

  it('gives up after the last attempt on a failing bus', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .rejects(new InternalException({ message: 'oops', $metadata: { httpStatusCode: 500 } }));
    const { delays, sleep } = recordingSleep();

    // Act
    const result = await sinkWith(sleep).send([lakeRowOf(1)]);

    // Assess
    expect(result.failed).toEqual([
      expect.objectContaining({ code: 'InternalException', attempts: 3 }),
    ]);
    expect(callSizes()).toEqual([1, 1, 1]);
    expect(delays).toEqual([25, 50]);
  });
});
