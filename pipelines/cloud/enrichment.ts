import type { LakeEventRow, Logger, Pseudonymizer } from '../../core/index.js';
import { cloudErrors } from './cloud-errors.js';
import { mapStreamRecord, type SkipReason } from './grade-stream-mapper.js';
import { toLakeRow } from './lake-row.js';
import { type DynamoStreamRecord, itemIdentifierOf } from './stream-record.js';

/** One record that could not be mapped, named the way Pipes and Lambda name it. */
export interface BatchItemFailure {
  itemIdentifier: string;
}

/** What a batch of stream records becomes. */
export interface EnrichedBatch {
  /** Lake rows, in stream order, ready for the Firehose target. */
  rows: LakeEventRow[];
  /** Records skipped on purpose (roster items, no-op changes), by reason. */
  skipped: Record<SkipReason, number>;
  /** Records that could not be mapped, in the partial-batch-failure shape. */
  batchItemFailures: BatchItemFailure[];
  /** Why each failure happened (no values, only field paths and codes). */
  failureReasons: { itemIdentifier: string; reason: string }[];
}

/**
 * Maps a batch of stream records to pseudonymised lake rows and reports what
 * could not be mapped; pure apart from the pseudonymizer's cache.
 *
 * @example
 * const batch = enrichStreamBatch(records, pseudonymizer);
 * if (batch.batchItemFailures.length > 0) throw unmappableRecordsError(batch);
 */
export function enrichStreamBatch(
  records: readonly DynamoStreamRecord[],
  pseudonymizer: Pseudonymizer,
): EnrichedBatch {
  const batch: EnrichedBatch = {
    rows: [],
    skipped: { not_an_evaluation: 0, already_voided: 0, unchanged: 0 },
    batchItemFailures: [],
    failureReasons: [],
  };
  records.forEach((record, index) => {
    const mapping = mapStreamRecord(record);
    if (mapping.kind === 'event') batch.rows.push(toLakeRow(mapping.event, pseudonymizer));
    if (mapping.kind === 'skipped') batch.skipped[mapping.reason] += 1;
    if (mapping.kind === 'unmappable') {
      const itemIdentifier = itemIdentifierOf(record, index);
      batch.batchItemFailures.push({ itemIdentifier });
      batch.failureReasons.push({ itemIdentifier, reason: mapping.reason });
    }
  });

  return batch;
}

export interface EnrichmentHandlerOptions {
  /** Resolves the pseudonymizer once per container (the key comes from Secrets Manager). */
  pseudonymizer: () => Promise<Pseudonymizer>;
  logger: Logger;
}

/**
 * The EventBridge Pipes enrichment Lambda: receives the batch of stream records
 * as a JSON array and returns the array of lake rows the Firehose target gets.
 *
 * Pipes does not honour partial batch failures from an enrichment (only from
 * Lambda and Step Functions targets), so returning `batchItemFailures` would
 * forward that object to Firehose as data. When a record cannot be mapped the
 * handler therefore throws: the pipe retries the batch and, after its
 * `MaximumRetryAttempts`, sends it to the pipe's dead-letter queue. Nothing is
 * dropped silently; the error carries the failures in the Pipes shape.
 */
export function createEnrichmentHandler(options: EnrichmentHandlerOptions) {
  let pending: Promise<Pseudonymizer> | undefined;

  return async (input: DynamoStreamRecord[]): Promise<LakeEventRow[]> => {
    // Pipes always sends an array to an enrichment, even for a batch of one.
    const records = Array.isArray(input) ? input : [input];
    pending ??= options.pseudonymizer().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    const pseudonymizer = await pending;
    const batch = enrichStreamBatch(records, pseudonymizer);
    const summary = {
      records_in: records.length,
      rows_out: batch.rows.length,
      skipped: batch.skipped,
      failed: batch.batchItemFailures.length,
    };

    if (batch.batchItemFailures.length > 0) {
      options.logger.error(
        { ...summary, failures: batch.failureReasons },
        'stream batch unmappable',
      );
      throw cloudErrors.create(
        'CLOUD_ERR_UNMAPPABLE_RECORDS',
        `${batch.batchItemFailures.length} of ${records.length} stream records cannot be mapped; fix the items or redrive the batch from the dead-letter queue`,
        { details: { batchItemFailures: batch.batchItemFailures } },
      );
    }
    options.logger.info(summary, 'stream batch enriched');

    return batch.rows;
  };
}
