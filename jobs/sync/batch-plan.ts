import { createHash } from 'node:crypto';
import type { PlannedBatch } from './ledger.js';

/** One record in the registry contract's shape, as the cutoff froze it. */
export interface ContractRecord {
  readonly record_id: string;
  readonly curp: string;
  readonly grade_level: number;
  readonly group?: string;
  readonly subject_code: string;
  readonly grade: number;
  readonly absences?: number;
}

/** A planned batch with the exact request body it is sent with, every time. */
export interface PreparedBatch {
  readonly plan: PlannedBatch;
  readonly body: string;
}

/** The contract's maximum records per submission. */
export const maxBatchSize = 100;

/**
 * Splits a school's frozen records into batches of at most `batchSize`, in
 * file order. The idempotency key is derived from the cutoff, the batch's
 * position and the SHA-256 of its exact body, so it is the same on every run
 * and a different body can never reuse a key.
 */
export function planSchoolBatches(
  cutoffId: string,
  cct: string,
  period: string,
  records: readonly ContractRecord[],
  batchSize: number = maxBatchSize,
): PreparedBatch[] {
  const size = Math.min(maxBatchSize, Math.max(1, batchSize));
  const batches: PreparedBatch[] = [];
  for (let start = 0, seq = 1; start < records.length; start += size, seq += 1) {
    const slice = records.slice(start, start + size);
    const body = JSON.stringify({ cct, period, records: slice });
    const requestHash = createHash('sha256').update(body).digest('hex');
    const batchId = `${cct}-b${String(seq).padStart(5, '0')}`;
    batches.push({
      body,
      plan: {
        cutoff_id: cutoffId,
        batch_id: batchId,
        cct,
        batch_seq: seq,
        idempotency_key: `luca:${cutoffId}:${batchId}:${requestHash.slice(0, 16)}`,
        request_hash: requestHash,
        record_ids: slice.map((record) => record.record_id),
      },
    });
  }

  return batches;
}
