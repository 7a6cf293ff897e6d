import type { Logger } from '../../core/index.js';
import type { PartitionOutcome } from './compact-partition.js';

/**
 * One log line per partition the run did something with (nothing for a
 * partition left unchanged): info when compacted or recovered, warn when
 * skipped, when re-landed files were deleted or when an erasure ran during
 * the swap (it must run again), error when it failed.
 */
export function logOutcome(logger: Logger, outcome: PartitionOutcome, isDryRun: boolean): void {
  const fields = {
    job: 'compaction',
    tenant_id: outcome.tenant_id,
    family: outcome.family,
    partition: outcome.partition,
    files_in: outcome.files_in,
    rows_in: outcome.rows_in,
    rows_out: outcome.rows_out,
    bytes_in: outcome.bytes_in,
    bytes_out: outcome.bytes_out,
    is_dry_run: isDryRun,
    duration_ms: outcome.duration_ms,
  };
  if (outcome.recovery)
    logger.info({ ...fields, recovery: outcome.recovery }, 'compaction recovered');
  if (outcome.files_relanded > 0) {
    logger.warn({ ...fields, files_relanded: outcome.files_relanded }, 'relanded files deleted');
  }
  if (outcome.erased_rows_left) {
    logger.warn(
      { ...fields, erased_rows_left: outcome.erased_rows_left },
      'erasure ran during compaction',
    );
  }
  if (outcome.status === 'compacted') {
    logger.info({ ...fields, output: outcome.output }, 'partition compacted');
  } else if (outcome.status === 'would_compact') {
    logger.debug(fields, 'partition would be compacted');
  } else if (outcome.status === 'skipped') {
    logger.warn({ ...fields, reason: outcome.reason }, 'partition skipped');
  } else if (outcome.status === 'failed') {
    logger.error(
      { ...fields, error_code: outcome.error_code, err: outcome.error },
      'partition compaction failed',
    );
  }
}
