import { readFileSync } from 'node:fs';
import { sqlPath } from '../../core/index.js';
import type { SqliteSyncLedger } from './sqlite-ledger.js';

/** One step of a record's journey (`sql/sync/record_journey.sql`). */
export interface JourneyStep {
  readonly stage_order: number;
  readonly stage: string;
  readonly happened_at: string | null;
  readonly batch_id: string | null;
  readonly attempt_no: number | null;
  readonly trace_id: string | null;
  readonly idempotency_key: string | null;
  readonly request_hash: string | null;
  readonly http_status: number | null;
  readonly outcome: string | null;
  readonly code: string | null;
  readonly sent_grade: number | null;
  readonly registered_grade: number | null;
  readonly latency_ms: number | null;
}

/** Runs the journey model on the local ledger for one record of one cutoff. */
export function recordJourney(
  ledger: SqliteSyncLedger,
  cutoffId: string,
  recordId: string,
): JourneyStep[] {
  const sql = readFileSync(sqlPath('sync', 'record_journey.sql'), 'utf8');

  return ledger.db.prepare(sql).all({ cutoff_id: cutoffId, record_id: recordId }) as JourneyStep[];
}
