/**
 * The parts of a DynamoDB Streams record the enrichment reads, as EventBridge
 * Pipes delivers it (same shape as the Lambda event source: attribute values in
 * DynamoDB JSON). Declared here so the Lambda bundle needs no `@types/aws-lambda`.
 */
export interface AttributeValue {
  S?: string;
  N?: string;
  BOOL?: boolean;
  NULL?: boolean;
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  SS?: string[];
  NS?: string[];
}

export type StreamImage = Record<string, AttributeValue>;

export interface DynamoStreamRecord {
  eventID?: string;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventSource?: string;
  eventSourceARN?: string;
  dynamodb?: {
    /** Seconds since the epoch (fractional when the stream has millisecond precision). */
    ApproximateCreationDateTime?: number;
    Keys?: StreamImage;
    NewImage?: StreamImage;
    OldImage?: StreamImage;
    SequenceNumber?: string;
    StreamViewType?: string;
  };
  /** Present on deletions made by TTL: `{ type: 'Service', principalId: 'dynamodb.amazonaws.com' }`. */
  userIdentity?: { type?: string; principalId?: string };
}

/**
 * Decodes one attribute value to plain JavaScript. Numbers become `number`
 * (the evaluation item holds scores and counters, all well inside 2^53).
 * Binary and binary sets are not used by the table and are rejected.
 */
export function decodeAttribute(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return decodeImage(value.M);
  if (value.L !== undefined) return value.L.map(decodeAttribute);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  throw new Error(`unsupported attribute type ${Object.keys(value).join(',') || '(none)'}`);
}

/** Decodes a whole image (`NewImage`, `OldImage` or `Keys`). */
export function decodeImage(image: StreamImage): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(image)) item[name] = decodeAttribute(value);

  return item;
}

/** The identifier Pipes and Lambda use for a stream record in `batchItemFailures`. */
export function itemIdentifierOf(record: DynamoStreamRecord, index: number): string {
  return record.dynamodb?.SequenceNumber ?? record.eventID ?? `index:${index}`;
}
