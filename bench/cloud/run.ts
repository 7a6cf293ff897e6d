import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { type LakeEventRow, Pseudonymizer } from '../../core/index.js';
import {
  type DynamoStreamRecord,
  enrichStreamBatch,
  evaluationSortKey,
  FirehoseSink,
  studentPartitionKey,
} from '../../pipelines/cloud/index.js';
import { parseBenchArgs } from '../bench-args.js';

/**
 * Cloud path CPU benchmark (no AWS: the Firehose client is mocked).
 *
 *   npx tsx bench/cloud/run.ts [--scale 1]
 *   npx tsx bench/cloud/run.ts               # 200,000 stream records
 *   npx tsx bench/cloud/run.ts --scale 0.1   # quick run: 20,000
 *
 * Prints, per step, records per second and the ratio to a baseline measured in
 * the same run:
 * - enrichment (map, validate, pseudonymise, in Pipes batches of 100) against
 *   the SDK's `unmarshall` of the same images (the least any consumer does);
 * - FirehoseSink.send (encode, chunk to 500 / 4 MiB, per-record results) against
 *   `JSON.stringify` of the same rows.
 * The figures say how much Lambda CPU a record costs, not AWS throughput.
 */
const args = parseBenchArgs({
  usage: `Usage:
  npx tsx bench/cloud/run.ts [--scale 1]
  npx tsx bench/cloud/run.ts               # 200,000 stream records
  npx tsx bench/cloud/run.ts --scale 0.1   # quick run: 20,000`,
  options: { scale: { type: 'string', default: '1' } },
});
const total = Math.max(100, Math.round(200_000 * args.number('scale')));
const batchSize = 100;

function streamRecord(index: number): DynamoStreamRecord {
  const tenant = `t-bench${index % 50}`;
  const student = `stu-${index % 20_000}`;
  const item = {
    PK: studentPartitionKey(tenant, student),
    SK: evaluationSortKey('2026-2027/P1', 'MAT', `ev-${index}`),
    entity: 'evaluation',
    tenant_id: tenant,
    student_id: student,
    evaluation_id: `ev-${index}`,
    group_id: 'grp-3a',
    subject_code: 'MAT',
    period_id: '2026-2027/P1',
    category: 'exam',
    score: (index % 100) / 10,
    max_score: 10,
    is_missing: false,
    is_extra_credit: false,
    status: 'active',
    version: 1,
    correction_seq: 0,
    is_after_close: false,
    updated_at: '2026-10-05T15:00:00.000Z',
    updated_by_id: 'tch-0042',
    updated_by_role: 'teacher',
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    event_id: `019a0000-0000-7000-8000-${String(index).padStart(12, '0')}`,
  };

  return {
    eventName: 'INSERT',
    dynamodb: {
      ApproximateCreationDateTime: 1_791_212_401,
      NewImage: marshall(item),
      SequenceNumber: String(index),
    },
  } as DynamoStreamRecord;
}

function timed(run: () => void): number {
  const started = performance.now();
  run();

  return (performance.now() - started) / 1000;
}

function report(step: string, seconds: number, baselineSeconds: number): void {
  const figures = {
    records: total,
    seconds: Number(seconds.toFixed(3)),
    records_per_s: Math.round(total / seconds),
    baseline_records_per_s: Math.round(total / baselineSeconds),
    ratio_to_baseline: Number((seconds / baselineSeconds).toFixed(2)),
  };
  process.stdout.write(`${step.padEnd(12)} ${JSON.stringify(figures)}\n`);
}

const records = Array.from({ length: total }, (_v, i) => streamRecord(i));
const pseudonymizer = new Pseudonymizer(Buffer.alloc(32, 1));
const rows: LakeEventRow[] = [];

const unmarshallSeconds = timed(() => {
  for (const record of records)
    unmarshall((record.dynamodb?.NewImage ?? {}) as Record<string, AttributeValue>);
});
const enrichSeconds = timed(() => {
  for (let i = 0; i < total; i += batchSize) {
    rows.push(...enrichStreamBatch(records.slice(i, i + batchSize), pseudonymizer).rows);
  }
});
if (rows.length !== total) throw new Error(`expected ${total} rows, got ${rows.length}`);
report('enrichment', enrichSeconds, unmarshallSeconds);

const firehose = mockClient(FirehoseClient);
firehose.on(PutRecordBatchCommand).callsFake((input: { Records: unknown[] }) => ({
  FailedPutCount: 0,
  RequestResponses: input.Records.map((_r, i) => ({ RecordId: String(i) })),
}));
const sink = new FirehoseSink({
  client: new FirehoseClient({ region: 'us-east-1' }),
  deliveryStreamName: 'bench',
});
const stringifySeconds = timed(() => {
  for (const row of rows) JSON.stringify(row);
});
const started = performance.now();
const result = await sink.send(rows);
const sendSeconds = (performance.now() - started) / 1000;
if (result.delivered !== total)
  throw new Error(`expected ${total} delivered, got ${result.delivered}`);
report('firehose', sendSeconds, stringifySeconds);
process.stdout.write(`firehose calls ${result.calls} (at most 500 records each)\n`);
