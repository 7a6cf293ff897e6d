import { type FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { LakeEventRow } from '../../core/index.js';
import {
  type BatchLimits,
  checkDeliveryConfig,
  defaultRetryPolicy,
  deliverWithRetry,
  type EntryResult,
  type RetryPolicy,
  sleep,
} from './delivery-retry.js';
import { classifyAwsError } from './aws-call-errors.js';
import type { LakeSink, SinkResult } from './lake-sink.js';

/**
 * PutRecordBatch quotas: 500 records and 4 MiB per call, 1,000 KiB per record
 * (before base64). https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html
 */
export const firehoseLimits: BatchLimits = {
  maxRecords: 500,
  maxBytes: 4 * 1024 * 1024,
  maxRecordBytes: 1000 * 1024,
};

export interface FirehoseSinkOptions {
  client: FirehoseClient;
  deliveryStreamName: string;
  policy?: RetryPolicy;
  limits?: BatchLimits;
  /** Injected for tests (no real waiting); defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

interface Encoded<T> {
  row: T;
  data: Uint8Array;
}

/**
 * Lands rows through an Amazon Data Firehose delivery stream, one JSON object
 * per record, newline-terminated (what the Parquet conversion's JSON
 * deserializer and dynamic partitioning read). Splits into calls within the
 * quotas and re-sends only the records Firehose reported as failed.
 *
 * @example
 * const sink = new FirehoseSink({ client: new FirehoseClient({}), deliveryStreamName: 'luca-grade-events' });
 * const { failed } = await sink.send(rows);
 */
export class FirehoseSink<T extends object = LakeEventRow> implements LakeSink<T> {
  readonly name: string;
  readonly #options: FirehoseSinkOptions;

  constructor(options: FirehoseSinkOptions) {
    this.#options = options;
    this.name = `firehose:${options.deliveryStreamName}`;
    const limits = options.limits ?? firehoseLimits;
    checkDeliveryConfig(this.name, options.policy ?? defaultRetryPolicy, limits, firehoseLimits);
  }

  async send(rows: readonly T[]): Promise<SinkResult<T>> {
    const encoder = new TextEncoder();
    const encoded = rows.map((row) => ({ row, data: encoder.encode(`${JSON.stringify(row)}\n`) }));
    const result = await deliverWithRetry<Encoded<T>>(encoded, {
      limits: this.#options.limits ?? firehoseLimits,
      sizeOf: (item) => item.data.byteLength,
      sendChunk: (chunk) => this.#putBatch(chunk),
      classifyError: classifyAwsError,
      policy: this.#options.policy ?? defaultRetryPolicy,
      sleep: this.#options.sleep ?? sleep,
      random: this.#options.random ?? Math.random,
    });

    return { ...result, failed: result.failed.map((f) => ({ ...f, record: f.record.row })) };
  }

  async #putBatch(chunk: Encoded<T>[]): Promise<EntryResult[]> {
    const output = await this.#options.client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: this.#options.deliveryStreamName,
        Records: chunk.map((item) => ({ Data: item.data })),
      }),
    );
    const responses = output.RequestResponses ?? [];

    return chunk.map((_item, index): EntryResult => {
      const response = responses[index];
      if (response?.RecordId && !response.ErrorCode) return { ok: true };
      // Firehose's per-record errors (ServiceUnavailableException, InternalFailure)
      // are transient by definition: the API asks callers to re-send those records.
      const code = response?.ErrorCode ?? 'MissingResponse';

      return { ok: false, code, message: response?.ErrorMessage ?? code, retryable: true };
    });
  }
}
