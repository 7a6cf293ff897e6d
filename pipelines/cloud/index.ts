/**
 * The cloud path of the pipeline: the EventBridge Pipes enrichment that turns
 * DynamoDB Streams records into grade events, the Firehose and EventBridge
 * sinks behind `LakeSink`, the evaluations table design, and the Athena DDL of
 * the raw tables. See docs/cloud-architecture.md.
 */
export {
  athenaDatabase,
  type AthenaColumn,
  parseRawTableDdl,
  type RawDdlVars,
  type RawTableDefinition,
  rawTableDefinitions,
  rawTableName,
  renderRawTableDdl,
} from './athena-ddl.js';
export { classifyAwsError } from './aws-call-errors.js';
export { cloudErrors } from './cloud-errors.js';
export {
  type BatchLimits,
  checkDeliveryConfig,
  chunkRecords,
  defaultRetryPolicy,
  deliverWithRetry,
  fullJitterDelay,
  type RetryPolicy,
} from './delivery-retry.js';
export {
  type BatchItemFailure,
  createEnrichmentHandler,
  type EnrichedBatch,
  type EnrichmentHandlerOptions,
  enrichStreamBatch,
} from './enrichment.js';
export {
  type EvaluationItem,
  evaluationItem,
  evaluationSortKey,
  evaluationTable,
  studentPartitionKey,
  tenantLeadingKeyPattern,
} from './evaluation-table.js';
export {
  EventBridgeSink,
  type EventBridgeSinkOptions,
  eventBridgeLimits,
  putEventsEntrySize,
} from './eventbridge-sink.js';
export { FirehoseSink, type FirehoseSinkOptions, firehoseLimits } from './firehose-sink.js';
export { mapStreamRecord, type SkipReason, type StreamMapping } from './grade-stream-mapper.js';
export { deterministicUuidV7, eventDateOf, toLakeRow } from './lake-row.js';
export { LandingBufferSink } from './landing-buffer-sink.js';
export type { LakeSink, SinkFailure, SinkResult } from './lake-sink.js';
export {
  loadPseudonymizerFromSecretsExtension,
  type SecretsExtensionOptions,
} from './pseudonym-secret.js';
export {
  type AttributeValue,
  type DynamoStreamRecord,
  decodeAttribute,
  decodeImage,
  type StreamImage,
} from './stream-record.js';
