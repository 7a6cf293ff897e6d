import { createLogger } from '../../../core/index.js';
import { type Govsim, type StartGovsimOptions, startGovsim } from '../../../jobs/govsim/index.js';
import {
  ensureRegistryCredentials,
  openSqliteLedger,
  runSync,
  type SyncTuning,
  simulatorCredentials,
} from '../../../jobs/sync/index.js';
import { freezeSchool, type SchoolSpec, tempDataPaths } from './factories.js';

/** Fast limits for tests: the simulator at 50 requests/s, the client just under. */
export const fastTuning: Partial<SyncTuning> = {
  ratePerSecond: 50,
  burst: 5,
  inFlightPerSchool: 4,
  timeoutMs: 500,
  backoff: { baseMs: 20, capMs: 300 },
  maxFailures: 40,
  breakerThreshold: 12,
  breakerHalfOpenMs: 200,
};

/** Cutoffs for the given schools, a simulator with their credentials, and a ledger. */
export async function syncScenario(schools: readonly SchoolSpec[], sim: StartGovsimOptions = {}) {
  const paths = tempDataPaths();
  const manifests = [];
  let offset = 0;
  for (const school of schools) {
    manifests.push(await freezeSchool(paths.lake, school, offset));
    offset += school.students;
  }
  const credentials = ensureRegistryCredentials(
    paths.secrets,
    schools.map((s) => s.cct),
  );
  const govsim: Govsim = await startGovsim({
    ratePerSecond: 50,
    burst: 20,
    ...sim,
    credentials: simulatorCredentials(credentials),
  });
  const ledger = openSqliteLedger(paths.state);
  const cutoffIds = manifests.map((m) => m.cutoff_id);

  return {
    paths,
    manifests,
    cutoffIds,
    credentials,
    govsim,
    ledger,
    run: (tuning: Partial<SyncTuning> = {}, onProgress?: (done: number, total: number) => void) =>
      runSync({
        lakeRoot: paths.lake,
        cutoffIds,
        registryUrl: govsim.url,
        credentials,
        ledger,
        tuning: { ...fastTuning, ...tuning },
        logger: createLogger({ level: 'silent' }),
        ...(onProgress ? { onProgress } : {}),
      }),
    async close() {
      await govsim.close();
      await ledger.close();
    },
  };
}

export type SyncScenario = Awaited<ReturnType<typeof syncScenario>>;

/** Every record of the scenario's cutoffs with its one final fate (result or dead letter). */
export async function fates(scenario: SyncScenario) {
  const fate = new Map<string, { status: string; code: string | null; grade: number | null }>();
  for (const id of scenario.cutoffIds) {
    for (const r of await scenario.ledger.results(id)) {
      fate.set(r.record_id, { status: r.status, code: r.code, grade: r.registered_grade });
    }
    for (const d of await scenario.ledger.deadLetters(id)) {
      if (d.reason_kind === 'rejected') continue;
      fate.set(d.record_id, { status: `dead:${d.reason_kind}`, code: d.reason_code, grade: null });
    }
  }

  return fate;
}
