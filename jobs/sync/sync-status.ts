import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CutoffManifest } from '../cutoff/index.js';
import { syncErrors } from './errors.js';
import type { SyncLedger } from './ledger.js';
import { SqliteSyncLedger } from './sqlite-ledger.js';

export type CutoffState = 'frozen' | 'syncing' | 'synced' | 'superseded';

/** Where a cutoff's sync stands against its 48-hour deadline. */
export interface SyncStatus {
  readonly cutoff_id: string;
  readonly state: CutoffState;
  readonly records: {
    readonly total: number;
    readonly accepted: number;
    readonly corrected: number;
    readonly rejected: number;
    readonly dead_lettered: number;
    readonly pending: number;
    readonly unsendable: number;
  };
  readonly batches: {
    readonly total: number;
    readonly pending: number;
    readonly succeeded: number;
    readonly dead_lettered: number;
  };
  readonly attempts: {
    readonly total: number;
    readonly by_outcome: Readonly<Record<string, number>>;
  };
  readonly first_attempt_at: string | null;
  readonly last_attempt_at: string | null;
  /** Records decided per second between the first and the last attempt. */
  readonly rate_records_per_second: number;
  readonly projected_finish_at: string | null;
  readonly deadline_at: string;
  readonly is_on_track: boolean;
  readonly warning: string | null;
}

/** Share of the 48-hour window kept as margin: a projection inside it already warns. */
const marginShare = 0.1;

function projection(pending: number, rate: number, now: number, deadline: number, created: number) {
  const margin = (deadline - created) * marginShare;
  if (pending === 0) return { finish: now, warning: null };
  if (now > deadline)
    return { finish: null, warning: 'the deadline has passed with records pending' };
  if (rate <= 0)
    return { finish: null, warning: 'no records decided yet; no rate to project from' };
  const finish = now + (pending / rate) * 1000;
  if (finish > deadline - margin) {
    return {
      finish,
      warning: `projected finish is ${Math.round((finish - (deadline - margin)) / 60_000)} min past the deadline minus a 10% margin`,
    };
  }

  return { finish, warning: null };
}

/**
 * Counts by state, the rate achieved and the projected finish of a cutoff's
 * sync, with an early warning when the projection misses the deadline.
 */
export async function syncStatus(
  ledger: SyncLedger,
  cutoffId: string,
  now = Date.now(),
): Promise<SyncStatus> {
  const cutoff = await ledger.cutoff(cutoffId);
  if (!cutoff)
    throw syncErrors.create(
      'SYNC_ERR_NOT_SYNCED',
      `Cutoff ${cutoffId} has not been synced yet; run "luca sync run --cutoff ${cutoffId}".`,
    );
  const [batches, results, dead, attempts] = await Promise.all([
    ledger.batches(cutoffId),
    ledger.results(cutoffId),
    ledger.deadLetters(cutoffId),
    ledger.attempts(cutoffId),
  ]);
  const count = <T>(rows: readonly T[], test: (row: T) => boolean) => rows.filter(test).length;
  const decided = results.length + count(dead, (d) => d.reason_kind !== 'rejected');
  const pending = Math.max(0, cutoff.record_count - decided);
  const byOutcome: Record<string, number> = {};
  for (const a of attempts) byOutcome[a.outcome] = (byOutcome[a.outcome] ?? 0) + 1;
  const starts = attempts.map((a) => Date.parse(a.started_at)).sort((a, b) => a - b);
  const first = starts[0];
  const last = starts.at(-1);
  const spanMs =
    first !== undefined && last !== undefined
      ? Math.max(1_000, (pending === 0 ? last : now) - first)
      : 0;
  const rate = spanMs > 0 ? decided / (spanMs / 1000) : 0;
  const deadline = Date.parse(cutoff.deadline_at);
  const projected = projection(pending, rate, now, deadline, Date.parse(cutoff.created_at));

  return {
    cutoff_id: cutoffId,
    state:
      pending === 0 && batches.length > 0 ? 'synced' : batches.length > 0 ? 'syncing' : 'frozen',
    records: {
      total: cutoff.record_count,
      accepted: count(results, (r) => r.status === 'accepted'),
      corrected: count(results, (r) => r.status === 'corrected'),
      rejected: count(results, (r) => r.status === 'rejected'),
      dead_lettered: count(dead, (d) => d.reason_kind !== 'rejected'),
      pending,
      unsendable: cutoff.unsendable_count,
    },
    batches: {
      total: batches.length,
      pending: count(batches, (b) => b.state === 'pending'),
      succeeded: count(batches, (b) => b.state === 'succeeded'),
      dead_lettered: count(batches, (b) => b.state === 'dead_lettered'),
    },
    attempts: { total: attempts.length, by_outcome: byOutcome },
    first_attempt_at: first !== undefined ? new Date(first).toISOString() : null,
    last_attempt_at: last !== undefined ? new Date(last).toISOString() : null,
    rate_records_per_second: Math.round(rate * 10) / 10,
    projected_finish_at:
      projected.finish === null ? null : new Date(projected.finish).toISOString(),
    deadline_at: cutoff.deadline_at,
    is_on_track: projected.warning === null,
    warning: projected.warning,
  };
}

/** The state of each cutoff for `luca cutoff list`: superseded, frozen, syncing or synced. */
export async function cutoffStates(stateDir: string, manifests: readonly CutoffManifest[]) {
  const states = new Map<string, CutoffState>();
  const file = join(stateDir, 'sync.db');
  const ledger = existsSync(file) ? new SqliteSyncLedger(file) : undefined;
  try {
    for (const m of manifests) {
      const newer = manifests.some(
        (o) => o.tenant_id === m.tenant_id && o.period_id === m.period_id && o.version > m.version,
      );
      if (newer) states.set(m.cutoff_id, 'superseded');
      else if (!ledger || !(await ledger.cutoff(m.cutoff_id))) states.set(m.cutoff_id, 'frozen');
      else states.set(m.cutoff_id, (await syncStatus(ledger, m.cutoff_id)).state);
    }
  } finally {
    await ledger?.close();
  }

  return states;
}
