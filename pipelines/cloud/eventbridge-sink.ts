import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { LakeEventRow } from '../../core/index.js';
import { classifyAwsError } from './aws-call-errors.js';
import {
  type BatchLimits,
  checkDeliveryConfig,
  defaultRetryPolicy,
  deliverWithRetry,
  type EntryResult,
  type RetryPolicy,
  sleep,
} from './delivery-retry.js';
import type { LakeSink, SinkResult } from './lake-sink.js';

/**
 * PutEvents quotas: 10 entries and 256 KiB per call, the size counted as
 * AWS does (Time 14 bytes, Source, DetailType, Detail, Resources in UTF-8).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 */
export const eventBridgeLimits: BatchLimits = {
  maxRecords: 10,
  maxBytes: 256 * 1024,
  maxRecordBytes: 256 * 1024,
};

/** Per-entry error codes worth another try; others (MalformedDetail, ...) are final. */
const retryableEntryCodes = new Set([
  'InternalFailure',
  'ThrottlingException',
  'InternalException',
]);

/** The size of one entry as PutEvents counts it. */
export function putEventsEntrySize(entry: PutEventsRequestEntry): number {
  const bytes = (text: string | undefined) => (text ? Buffer.byteLength(text, 'utf8') : 0);
  const resources = (entry.Resources ?? []).reduce((sum, arn) => sum + bytes(arn), 0);

  return (
    (entry.Time ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    resources
  );
}

export interface EventBridgeSinkOptions {
  client: EventBridgeClient;
  eventBusName: string;
  /** `source` of every entry; rules match on it. */
  source: string;
  policy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

interface Entry {
  row: LakeEventRow;
  entry: PutEventsRequestEntry;
}

/**
 * Publishes lake rows to an EventBridge bus (the ingest API's cloud path):
 * `detail-type` is the event type, `detail` the pseudonymised row, so a rule
 * can hand `$.detail` straight to the behaviour Firehose stream.
 */
export class EventBridgeSink implements LakeSink<LakeEventRow> {
  readonly name: string;
  readonly #options: EventBridgeSinkOptions;

  constructor(options: EventBridgeSinkOptions) {
    this.#options = options;
    this.name = `eventbridge:${options.eventBusName}`;
    const policy = options.policy ?? defaultRetryPolicy;
    checkDeliveryConfig(this.name, policy, eventBridgeLimits, eventBridgeLimits);
  }

  async send(rows: readonly LakeEventRow[]): Promise<SinkResult<LakeEventRow>> {
    const entries = rows.map((row) => ({ row, entry: this.#entryOf(row) }));
    const result = await deliverWithRetry<Entry>(entries, {
      limits: eventBridgeLimits,
      sizeOf: (item) => putEventsEntrySize(item.entry),
      sendChunk: (chunk) => this.#putEvents(chunk),
      classifyError: classifyAwsError,
      policy: this.#options.policy ?? defaultRetryPolicy,
      sleep: this.#options.sleep ?? sleep,
      random: this.#options.random ?? Math.random,
    });

    return { ...result, failed: result.failed.map((f) => ({ ...f, record: f.record.row })) };
  }

  #entryOf(row: LakeEventRow): PutEventsRequestEntry {
    return {
      EventBusName: this.#options.eventBusName,
      Source: this.#options.source,
      DetailType: row.event_type,
      Detail: JSON.stringify(row),
      Time: new Date(row.occurred_at),
    };
  }

  async #putEvents(chunk: Entry[]): Promise<EntryResult[]> {
    const output = await this.#options.client.send(
      new PutEventsCommand({ Entries: chunk.map((item) => item.entry) }),
    );
    const results = output.Entries ?? [];

    return chunk.map((_item, index): EntryResult => {
      const result = results[index];
      if (result?.EventId && !result.ErrorCode) return { ok: true };
      const code = result?.ErrorCode ?? 'MissingResult';

      return {
        ok: false,
        code,
        message: result?.ErrorMessage ?? code,
        retryable: retryableEntryCodes.has(code) || code === 'MissingResult',
      };
    });
  }
}
