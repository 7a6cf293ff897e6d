import { describe, expect, it } from 'vitest';
import type { AttemptRow, PlannedBatch, SyncLedger } from '../../../jobs/sync/index.js';

const cutoffId = 't-09dpr0001a.2026-2027-P1.v1';

function planned(seq: number): PlannedBatch {
  return {
    cutoff_id: cutoffId,
    batch_id: `09DPR0001A-b${String(seq).padStart(5, '0')}`,
    cct: '09DPR0001A',
    batch_seq: seq,
    idempotency_key: `luca:${cutoffId}:b${seq}`,
    request_hash: 'a'.repeat(64),
    record_ids: [`r${seq}a`, `r${seq}b`],
  };
}

function attempt(batchId: string, no: number, runId: string, outcome = 'in_flight'): AttemptRow {
  return {
    attempt_id: `${batchId}-${no}-${runId}`,
    cutoff_id: cutoffId,
    batch_id: batchId,
    attempt_no: no,
    run_id: runId,
    trace_id: 'f'.repeat(32),
    idempotency_key: 'k',
    request_hash: 'a'.repeat(64),
    started_at: `2026-12-05T10:00:0${no}.000Z`,
    finished_at: null,
    latency_ms: null,
    http_status: null,
    outcome,
    error_code: null,
    retry_after_s: null,
    is_replayed: false,
    response_excerpt: null,
  };
}

/** One suite, run against every `SyncLedger` implementation that can run here. */
export function describeSyncLedger(name: string, open: () => Promise<SyncLedger>) {
  describe(`SyncLedger (${name})`, () => {
    it('plans batches once and keeps the state of planned ones', async () => {
      // Prepare
      const ledger = await open();
      await ledger.planBatches([planned(1), planned(2)]);
      await ledger.completeBatch(cutoffId, planned(1).batch_id, {
        state: 'succeeded',
        submission_id: 'sub_1',
        results: [],
        dead_letters: [],
        last_status: 201,
        last_error: null,
      });

      // Act
      await ledger.planBatches([planned(1), planned(2), planned(3)]);

      // Assess
      const batches = await ledger.batches(cutoffId);
      expect(batches.map((b) => [b.batch_seq, b.state])).toEqual([
        [1, 'succeeded'],
        [2, 'pending'],
        [3, 'pending'],
      ]);
      expect(batches[0]?.record_ids).toEqual(['r1a', 'r1b']);
      await ledger.close();
    });

    it('records attempts with the batch counters and abandons those of dead runs', async () => {
      // Prepare
      const ledger = await open();
      const batchId = planned(1).batch_id;
      await ledger.planBatches([planned(1)]);
      const first = attempt(batchId, 1, 'run-1');
      await ledger.startAttempt(first);
      await ledger.finishAttempt(
        {
          ...first,
          outcome: 'transient',
          http_status: 503,
          error_code: 'http_503',
          finished_at: '2026-12-05T10:00:01.500Z',
          latency_ms: 12,
        },
        { attempts: 1, failures: 1 },
      );
      await ledger.startAttempt(attempt(batchId, 2, 'run-1'));

      // Act
      const abandoned = await ledger.abandonOpenAttempts(cutoffId, 'run-2');

      // Assess
      expect(abandoned).toBe(1);
      const attempts = await ledger.attempts(cutoffId);
      expect(attempts.map((a) => [a.attempt_no, a.outcome, a.http_status])).toEqual([
        [1, 'transient', 503],
        [2, 'abandoned', null],
      ]);
      expect((await ledger.batches(cutoffId))[0]).toMatchObject({
        attempts: 1,
        failures: 1,
        last_status: 503,
      });
      await ledger.close();
    });

    it('stores results and dead letters with the batch completion', async () => {
      // Prepare
      const ledger = await open();
      const batchId = planned(1).batch_id;
      await ledger.planBatches([planned(1)]);
      const base = {
        cutoff_id: cutoffId,
        batch_id: batchId,
        cct: '09DPR0001A',
        submission_id: 'sub_1',
        decided_at: '2026-12-05T10:00:02.000Z',
        message: null,
      };

      // Act
      await ledger.completeBatch(cutoffId, batchId, {
        state: 'succeeded',
        submission_id: 'sub_1',
        results: [
          {
            ...base,
            record_id: 'r1a',
            status: 'corrected',
            code: 'FAILING_GRADE_NORMALISED',
            sent_grade: 5.5,
            registered_grade: 5,
          },
          {
            ...base,
            record_id: 'r1b',
            status: 'rejected',
            code: 'CURP_INVALID',
            sent_grade: 8,
            registered_grade: null,
          },
        ],
        dead_letters: [
          {
            cutoff_id: cutoffId,
            record_id: 'r1b',
            batch_id: batchId,
            cct: '09DPR0001A',
            reason_kind: 'rejected',
            reason_code: 'CURP_INVALID',
            message: 'x',
            attempts: 1,
            created_at: '2026-12-05T10:00:02.000Z',
          },
        ],
        last_status: 201,
        last_error: null,
      });

      // Assess
      expect(
        (await ledger.results(cutoffId)).map((r) => [r.record_id, r.status, r.registered_grade]),
      ).toEqual([
        ['r1a', 'corrected', 5],
        ['r1b', 'rejected', null],
      ]);
      expect((await ledger.deadLetters(cutoffId)).map((d) => [d.record_id, d.reason_code])).toEqual(
        [['r1b', 'CURP_INVALID']],
      );
      expect((await ledger.batches(cutoffId))[0]?.submission_id).toBe('sub_1');
      await ledger.close();
    });

    it('replaces a reconciliation and keeps amendments', async () => {
      // Prepare
      const ledger = await open();
      const row = {
        cutoff_id: cutoffId,
        record_id: 'r1a',
        reconciled_at: '2026-12-05T11:00:00.000Z',
        outcome: 'corrected' as const,
        subject_code: 'MAT',
        curp_fingerprint: 'p_x',
        sent_grade: 5.5,
        registered_grade: 5,
        code: 'FAILING_GRADE_NORMALISED',
        ledger_status: 'corrected',
        student_id: 'p_s',
        correction_event_id: 'e1',
      };
      await ledger.saveReconciliation(cutoffId, [row, { ...row, record_id: 'r1b' }]);

      // Act
      await ledger.saveReconciliation(cutoffId, [{ ...row, outcome: 'accepted_as_sent' }]);
      await ledger.recordAmendment({
        cutoff_id: cutoffId,
        record_id: 'r1a',
        idempotency_key: 'a1',
        trace_id: 'f'.repeat(32),
        http_status: 200,
        status: 'accepted',
        code: null,
        previous_grade: 7,
        sent_grade: 8,
        registered_grade: 8,
        amended_at: '2026-12-05T12:00:00.000Z',
      });

      // Assess
      expect((await ledger.reconciliation(cutoffId)).map((r) => [r.record_id, r.outcome])).toEqual([
        ['r1a', 'accepted_as_sent'],
      ]);
      expect(
        (await ledger.amendments(cutoffId)).map((a) => [a.record_id, a.registered_grade]),
      ).toEqual([['r1a', 8]]);
      await ledger.close();
    });
  });
}
