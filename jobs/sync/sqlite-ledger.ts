import Database from 'better-sqlite3';
import type {
  AmendmentRow,
  AttemptRow,
  BatchCompletion,
  BatchRow,
  CutoffRegistration,
  DeadLetterRow,
  PlannedBatch,
  ReconciliationRow,
  RecordResultRow,
  SyncLedger,
} from './ledger.js';
import { sqliteLedgerSchema } from './sqlite-schema.js';

type Row = Record<string, unknown>;

function now(): string {
  return new Date().toISOString();
}

/**
 * The local ledger in SQLite (WAL). Every write is one transaction, so a
 * process killed at any moment leaves the ledger as of its last commit.
 */
export class SqliteSyncLedger implements SyncLedger {
  readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(sqliteLedgerSchema);
  }

  async registerCutoff(cutoff: CutoffRegistration): Promise<void> {
    this.db
      .prepare(
        `insert or ignore into sync_cutoffs values (@cutoff_id, @tenant_id, @cct, @period_id,
         @version, @created_at, @deadline_at, @record_count, @unsendable_count)`,
      )
      .run(cutoff);
  }

  async cutoff(cutoffId: string): Promise<CutoffRegistration | undefined> {
    return this.db.prepare('select * from sync_cutoffs where cutoff_id = ?').get(cutoffId) as
      | CutoffRegistration
      | undefined;
  }

  async planBatches(batches: readonly PlannedBatch[]): Promise<void> {
    const insertBatch = this.db.prepare(
      `insert or ignore into sync_batches (cutoff_id, batch_id, cct, batch_seq, idempotency_key,
       request_hash, record_count, state, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
    );
    const insertRecord = this.db.prepare(
      'insert or ignore into sync_batch_records values (?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const b of batches) {
        const changed = insertBatch.run(
          b.cutoff_id,
          b.batch_id,
          b.cct,
          b.batch_seq,
          b.idempotency_key,
          b.request_hash,
          b.record_ids.length,
          now(),
        ).changes;
        if (changed === 0) continue;
        for (const [i, id] of b.record_ids.entries())
          insertRecord.run(b.cutoff_id, b.batch_id, id, i);
      }
    })();
  }

  async batches(cutoffId: string): Promise<BatchRow[]> {
    const rows = this.db
      .prepare('select * from sync_batches where cutoff_id = ? order by cct, batch_seq')
      .all(cutoffId) as Row[];
    const records = this.db
      .prepare(
        'select batch_id, record_id from sync_batch_records where cutoff_id = ? order by position',
      )
      .all(cutoffId) as { batch_id: string; record_id: string }[];
    const byBatch = new Map<string, string[]>();
    for (const r of records) {
      const list = byBatch.get(r.batch_id) ?? [];
      list.push(r.record_id);
      byBatch.set(r.batch_id, list);
    }

    return rows.map((row) => ({
      ...(row as unknown as BatchRow),
      record_ids: byBatch.get(String(row.batch_id)) ?? [],
    }));
  }

  async startAttempt(a: AttemptRow): Promise<void> {
    this.db
      .prepare(
        `insert into sync_attempts values (@attempt_id, @cutoff_id, @batch_id, @attempt_no,
         @run_id, @trace_id, @idempotency_key, @request_hash, @started_at, @finished_at,
         @latency_ms, @http_status, @outcome, @error_code, @retry_after_s, @is_replayed,
         @response_excerpt)`,
      )
      .run({ ...a, is_replayed: a.is_replayed ? 1 : 0 });
  }

  async finishAttempt(a: AttemptRow, batch: Pick<BatchRow, 'attempts' | 'failures'>) {
    this.db.transaction(() => {
      this.db
        .prepare(
          `update sync_attempts set finished_at = @finished_at, latency_ms = @latency_ms,
           http_status = @http_status, outcome = @outcome, error_code = @error_code,
           retry_after_s = @retry_after_s, is_replayed = @is_replayed,
           response_excerpt = @response_excerpt where attempt_id = @attempt_id`,
        )
        .run({ ...a, is_replayed: a.is_replayed ? 1 : 0 });
      this.db
        .prepare(
          `update sync_batches set attempts = ?, failures = ?, last_status = ?, last_error = ?,
           updated_at = ? where cutoff_id = ? and batch_id = ?`,
        )
        .run(
          batch.attempts,
          batch.failures,
          a.http_status,
          a.error_code,
          now(),
          a.cutoff_id,
          a.batch_id,
        );
    })();
  }

  async completeBatch(cutoffId: string, batchId: string, c: BatchCompletion): Promise<void> {
    const result = this.db.prepare(
      `insert or replace into sync_record_results values (@cutoff_id, @record_id, @batch_id,
       @cct, @status, @code, @message, @sent_grade, @registered_grade, @submission_id,
       @decided_at)`,
    );
    const dead = this.db.prepare(
      `insert or replace into sync_dead_letters values (@cutoff_id, @record_id, @batch_id, @cct,
       @reason_kind, @reason_code, @message, @attempts, @created_at)`,
    );
    this.db.transaction(() => {
      for (const row of c.results) result.run(row);
      for (const row of c.dead_letters) dead.run(row);
      this.db
        .prepare(
          `update sync_batches set state = ?, submission_id = ?, last_status = ?, last_error = ?,
           updated_at = ? where cutoff_id = ? and batch_id = ?`,
        )
        .run(c.state, c.submission_id, c.last_status, c.last_error, now(), cutoffId, batchId);
    })();
  }

  async abandonOpenAttempts(cutoffId: string, currentRunId: string): Promise<number> {
    return this.db
      .prepare(
        `update sync_attempts set outcome = 'abandoned'
         where cutoff_id = ? and outcome = 'in_flight' and run_id != ?`,
      )
      .run(cutoffId, currentRunId).changes;
  }

  async attempts(cutoffId: string): Promise<AttemptRow[]> {
    const rows = this.db
      .prepare('select * from sync_attempts where cutoff_id = ? order by started_at, attempt_no')
      .all(cutoffId) as Row[];

    return rows.map((row) => ({
      ...(row as unknown as AttemptRow),
      is_replayed: row.is_replayed === 1,
    }));
  }

  async results(cutoffId: string): Promise<RecordResultRow[]> {
    return this.db
      .prepare('select * from sync_record_results where cutoff_id = ? order by record_id')
      .all(cutoffId) as RecordResultRow[];
  }

  async deadLetters(cutoffId: string): Promise<DeadLetterRow[]> {
    return this.db
      .prepare('select * from sync_dead_letters where cutoff_id = ? order by record_id')
      .all(cutoffId) as DeadLetterRow[];
  }

  async saveReconciliation(cutoffId: string, rows: readonly ReconciliationRow[]): Promise<void> {
    const insert = this.db.prepare(
      `insert into sync_reconciliation (cutoff_id, record_id, reconciled_at, outcome, subject_code,
       curp_fingerprint, sent_grade, registered_grade, code, ledger_status, student_id,
       correction_event_id) values (@cutoff_id, @record_id, @reconciled_at, @outcome,
       @subject_code, @curp_fingerprint, @sent_grade, @registered_grade, @code, @ledger_status,
       @student_id, @correction_event_id)`,
    );
    this.db.transaction(() => {
      this.db.prepare('delete from sync_reconciliation where cutoff_id = ?').run(cutoffId);
      for (const row of rows) insert.run(row);
    })();
  }

  async reconciliation(cutoffId: string): Promise<ReconciliationRow[]> {
    return this.db
      .prepare('select * from sync_reconciliation where cutoff_id = ? order by record_id')
      .all(cutoffId) as ReconciliationRow[];
  }

  async recordAmendment(row: AmendmentRow): Promise<void> {
    this.db
      .prepare(
        `insert or replace into sync_amendments values (@cutoff_id, @record_id, @idempotency_key,
         @trace_id, @http_status, @status, @code, @previous_grade, @sent_grade,
         @registered_grade, @amended_at)`,
      )
      .run(row);
  }

  async amendments(cutoffId: string): Promise<AmendmentRow[]> {
    return this.db
      .prepare('select * from sync_amendments where cutoff_id = ? order by record_id, amended_at')
      .all(cutoffId) as AmendmentRow[];
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
