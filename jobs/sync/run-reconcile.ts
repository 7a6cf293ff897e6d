import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type Logger, type Pseudonymizer, periodKey } from '../../core/index.js';
import { readCutoff } from '../cutoff/index.js';
import { type CorrectionSink, correctionOf } from './correction-events.js';
import { credentialFor, type RegistryCredentials } from './credentials.js';
import type { ReconciliationRow, SyncLedger } from './ledger.js';
import { compareWithRegistry } from './reconcile-compare.js';
import {
  reconciliationMarkdown,
  reconciliationParquetPath,
  writeReconciliationParquet,
} from './reconcile-report.js';
import { type ListedGrade, listRegistry } from './registry-calls.js';
import { RegistryHttp } from './registry-http.js';
import { resolveTuning, type SyncTuning } from './sync-tuning.js';
import { TokenProvider } from './token-provider.js';

export interface ReconcileOptions {
  readonly lakeRoot: string;
  /** Where the Markdown summary goes, e.g. `<data-dir>/reports/sync`. */
  readonly reportsDir: string;
  readonly cutoffId: string;
  readonly registryUrl: string;
  readonly credentials: RegistryCredentials;
  readonly ledger: SyncLedger;
  readonly pseudonymizer: Pseudonymizer;
  /** Receives each new registry correction as an `evaluation.corrected` event. */
  readonly onCorrection?: CorrectionSink;
  readonly tuning?: Partial<SyncTuning>;
  readonly logger?: Logger;
}

export interface ReconcileSummary {
  readonly cutoff_id: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly corrections_emitted: number;
  readonly parquet_file: string;
  readonly markdown_file: string;
  readonly duration_ms: number;
}

/** Emits corrections not emitted by an earlier reconciliation; returns rows with event ids. */
async function emitCorrections(
  options: ReconcileOptions,
  rows: ReconciliationRow[],
  tenantId: string,
  periodId: string,
) {
  const earlier = new Map(
    (await options.ledger.reconciliation(options.cutoffId)).map((r) => [r.record_id, r]),
  );
  let emitted = 0;
  const out: ReconciliationRow[] = [];
  for (const row of rows) {
    if (row.outcome !== 'corrected') {
      out.push(row);
      continue;
    }
    const before = earlier.get(row.record_id);
    if (before?.correction_event_id && before.registered_grade === row.registered_grade) {
      out.push({ ...row, correction_event_id: before.correction_event_id });
      continue;
    }
    const correction = correctionOf(row, tenantId, periodId, before?.correction_event_id ? 2 : 1);
    await options.onCorrection?.(correction);
    emitted += 1;
    out.push({ ...row, correction_event_id: correction.event.event_id });
  }

  return { rows: out, emitted };
}

/**
 * Reads the registry's listing for the cutoff's schools, compares it with the
 * cutoff by (CURP, subject), stores the result in the ledger, writes it as
 * Parquet (lake) and Markdown (reports), and emits registry corrections.
 *
 * @example
 * const summary = await reconcileCutoff({ lakeRoot: paths.lake,
 *   reportsDir: join(paths.root, 'reports', 'sync'), cutoffId, registryUrl: sim.url,
 *   credentials, ledger, pseudonymizer, onCorrection: (c) => grades.apply(c.event) });
 */
export async function reconcileCutoff(options: ReconcileOptions): Promise<ReconcileSummary> {
  const started = performance.now();
  const logger = options.logger ?? createLogger({ base: { job: 'sync-reconcile' } });
  const tuning = resolveTuning(options.tuning);
  const cutoff = readCutoff(options.lakeRoot, options.cutoffId);
  const { manifest } = cutoff;
  const http = new RegistryHttp({ baseUrl: options.registryUrl, timeoutMs: tuning.timeoutMs });
  const registry = new Map<string, ListedGrade[]>();
  try {
    for (const cct of cutoff.records.keys()) {
      const tokens = new TokenProvider(
        http,
        credentialFor(options.credentials, cct),
        tuning.backoff,
        logger,
      );
      const context = { http, tokens, backoff: tuning.backoff, maxFailures: tuning.maxFailures };
      registry.set(cct, await listRegistry(context, cct, manifest.period_id));
    }
  } finally {
    await http.close();
  }
  const compared = compareWithRegistry({
    cutoff,
    registry,
    results: await options.ledger.results(options.cutoffId),
    deadLetters: await options.ledger.deadLetters(options.cutoffId),
    fingerprint: (curp) => options.pseudonymizer.pseudonym(manifest.tenant_id, `curp:${curp}`),
    now: new Date().toISOString(),
  });
  const { rows, emitted } = await emitCorrections(
    options,
    compared,
    manifest.tenant_id,
    manifest.period_id,
  );
  await options.ledger.saveReconciliation(options.cutoffId, rows);
  const parquetFile = reconciliationParquetPath(
    options.lakeRoot,
    manifest.tenant_id,
    periodKey(manifest.period_id),
    manifest.version,
  );
  await writeReconciliationParquet(parquetFile, rows);
  mkdirSync(options.reportsDir, { recursive: true });
  const markdownFile = join(options.reportsDir, `${options.cutoffId}.reconciliation.md`);
  writeFileSync(markdownFile, reconciliationMarkdown(options.cutoffId, rows, parquetFile));
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.outcome] = (counts[row.outcome] ?? 0) + 1;
  const summary = {
    cutoff_id: options.cutoffId,
    counts,
    corrections_emitted: emitted,
    parquet_file: parquetFile,
    markdown_file: markdownFile,
    duration_ms: Math.round(performance.now() - started),
  };
  logger.info({ ...summary, rows_out: rows.length }, 'reconciliation written');

  return summary;
}
