import { join } from 'node:path';
import { loadPseudonymizer } from '../../../core/index.js';
import {
  type CutoffManifest,
  createCutoff,
  lakeConsolidatedGrades,
  studentStoreRoster,
} from '../../../jobs/cutoff/index.js';
import { startGovsim } from '../../../jobs/govsim/index.js';
import { openLocalGradesStore } from '../../../jobs/grades/store/index.js';
import {
  ensureRegistryCredentials,
  openSqliteLedger,
  reconcileCutoff,
  runSync,
  simulatorCredentials,
  syncStatus,
} from '../../../jobs/sync/index.js';
import { count, type DemoContext, type DemoStage } from '../context.js';

const periodId = '2026-2027/P1';

async function freezeCutoffs(context: DemoContext): Promise<CutoffManifest[]> {
  const { paths } = context;
  const tenants = (context.shared.seed as { tenants: string[] }).tenants;
  const store = openLocalGradesStore(paths);
  const manifests: CutoffManifest[] = [];
  try {
    for (const tenantId of tenants) {
      const manifest = await createCutoff({
        lakeRoot: paths.lake,
        tenantId,
        periodId,
        roster: studentStoreRoster(store),
        grades: lakeConsolidatedGrades(paths.lake),
        pseudonymizer: loadPseudonymizer(paths.secrets),
        createdBy: 'demo',
      });
      manifests.push(manifest);
      const { totals } = manifest;
      context.say(
        `   cutoff ${manifest.cutoff_id}: ${count(totals.records)} records for ` +
          `${totals.students_sendable} students, ${totals.students_unsendable} unsendable (listed), ` +
          `${manifest.files.length} files with SHA-256 in the manifest`,
      );
    }
  } finally {
    await store.close();
  }

  return manifests;
}

/** Freeze the first period, send it to the simulator under faults, reconcile it. */
export const syncStage: DemoStage = {
  title: 'Quarterly cutoff and sync with the registry simulator (with faults)',
  async run(context: DemoContext) {
    const { paths, logger } = context;
    const manifests = await freezeCutoffs(context);
    const credentials = ensureRegistryCredentials(
      paths.secrets,
      manifests.map((manifest) => manifest.cct),
    );
    const faults = { error5xxRate: 0.1, dropAfterProcessRate: 0.05 };
    const sim = await startGovsim({
      port: 0,
      credentials: simulatorCredentials(credentials),
      ratePerSecond: 20,
      burst: 10,
      faults,
    });
    const ledger = openSqliteLedger(paths.state);
    try {
      const cutoffIds = manifests.map((manifest) => manifest.cutoff_id);
      const run = await runSync({
        lakeRoot: paths.lake,
        cutoffIds,
        registryUrl: sim.url,
        credentials,
        ledger,
        logger,
        tuning: { ratePerSecond: 20, timeoutMs: 2000, backoff: { baseMs: 50, capMs: 1000 } },
      });
      context.say(
        `   sync against ${sim.url} (10% 5xx, 5% processed-then-dropped): ${count(run.records_total)} ` +
          `records in ${run.batches} batches, ${run.records_per_second.toFixed(0)} records/s`,
      );
      for (const cutoffId of cutoffIds) {
        const status = await syncStatus(ledger, cutoffId);
        const report = await reconcileCutoff({
          lakeRoot: paths.lake,
          reportsDir: join(paths.root, 'reports', 'sync'),
          cutoffId,
          registryUrl: sim.url,
          credentials,
          ledger,
          pseudonymizer: loadPseudonymizer(paths.secrets),
          logger,
          onCorrection: () => undefined,
        });
        context.say(
          `   ${cutoffId}: ${status.state}; records ${JSON.stringify(status.records)}; ` +
            `reconciled ${JSON.stringify(report.counts)} -> ${report.markdown_file}`,
        );
      }
      const stats = sim.stats() as unknown as Record<string, unknown>;
      context.say(`   simulator counters: ${JSON.stringify(stats)}`);
    } finally {
      await sim.close();
      await ledger.close();
    }
  },
};
