import type { FrozenCutoff } from '../cutoff/index.js';
import type { DeadLetterRow, ReconciliationRow, RecordResultRow } from './ledger.js';
import { type ListedGrade, naturalKey } from './registry-calls.js';

export interface CompareInput {
  readonly cutoff: FrozenCutoff;
  readonly registry: ReadonlyMap<string, readonly ListedGrade[]>;
  readonly results: readonly RecordResultRow[];
  readonly deadLetters: readonly DeadLetterRow[];
  /** Keyed fingerprint of a CURP (never the CURP). */
  readonly fingerprint: (curp: string) => string;
  readonly now: string;
}

function ledgerStatusOf(
  recordId: string,
  results: ReadonlyMap<string, RecordResultRow>,
  dead: ReadonlyMap<string, DeadLetterRow>,
): { status: string; code: string | null } {
  const result = results.get(recordId);
  if (result) return { status: result.status, code: result.code };
  const letter = dead.get(recordId);
  if (letter) return { status: `dead:${letter.reason_kind}`, code: letter.reason_code };

  return { status: 'pending', code: null };
}

/**
 * Compares the registry's listing with the cutoff by natural key (CURP,
 * subject): accepted as sent, corrected (both values), rejected (with the
 * code), missing from the registry, present there but not sent; students that
 * could not be sent are listed too.
 */
export function compareWithRegistry(input: CompareInput): ReconciliationRow[] {
  const { cutoff, now } = input;
  const cutoffId = cutoff.manifest.cutoff_id;
  const results = new Map(input.results.map((r) => [r.record_id, r]));
  const dead = new Map(input.deadLetters.map((d) => [d.record_id, d]));
  const students = new Map(cutoff.lineage.map((l) => [l.record_id, l.student_id]));
  const rows: ReconciliationRow[] = [];
  for (const [cct, records] of cutoff.records) {
    const registered = new Map(
      (input.registry.get(cct) ?? []).map((g) => [naturalKey(g.curp, g.subject_code), g]),
    );
    for (const record of records) {
      const key = naturalKey(record.curp, record.subject_code);
      const listed = registered.get(key);
      registered.delete(key);
      const ledger = ledgerStatusOf(record.record_id, results, dead);
      const base = {
        cutoff_id: cutoffId,
        record_id: record.record_id,
        reconciled_at: now,
        subject_code: record.subject_code,
        curp_fingerprint: input.fingerprint(record.curp),
        sent_grade: record.grade,
        ledger_status: ledger.status,
        student_id: students.get(record.record_id) ?? null,
        correction_event_id: null,
      };
      if (listed) {
        const isSame = listed.status === 'accepted' && listed.grade === record.grade;
        rows.push({
          ...base,
          outcome: isSame ? 'accepted_as_sent' : 'corrected',
          registered_grade: listed.grade,
          code: isSame ? null : (listed.code ?? 'VALUE_DIFFERS'),
        });
      } else {
        const isRejected = ledger.status === 'rejected' || ledger.status === 'dead:rejected';
        rows.push({
          ...base,
          outcome: isRejected ? 'rejected' : 'missing_from_registry',
          registered_grade: null,
          code: ledger.code,
        });
      }
    }
    for (const listed of registered.values()) {
      const fingerprint = input.fingerprint(listed.curp);
      rows.push({
        cutoff_id: cutoffId,
        record_id: `registry:${fingerprint}:${listed.subject_code}`,
        reconciled_at: now,
        outcome: 'present_not_sent',
        subject_code: listed.subject_code,
        curp_fingerprint: fingerprint,
        sent_grade: null,
        registered_grade: listed.grade,
        code: listed.code ?? null,
        ledger_status: null,
        student_id: null,
        correction_event_id: null,
      });
    }
  }
  for (const u of cutoff.unsendable) {
    rows.push({
      cutoff_id: cutoffId,
      record_id: `unsendable:${u.student_id}:${u.subject_code ?? '*'}`,
      reconciled_at: now,
      outcome: 'unsendable',
      subject_code: u.subject_code ?? '*',
      curp_fingerprint: '',
      sent_grade: null,
      registered_grade: null,
      code: u.reason,
      ledger_status: 'unsendable',
      student_id: u.student_id,
      correction_event_id: null,
    });
  }

  return rows;
}
