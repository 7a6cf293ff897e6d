import { join } from 'node:path';
import { createLogger, ensureDataPaths, loadPseudonymizer, type Role } from '../../core/index.js';
import {
  type ChangeResult,
  type EvaluationImportSummary,
  exportEvaluationsSnapshot,
  type GradesStore,
  importEvaluationsFile,
  OutboxRelay,
  openLocalGradesStore,
  type RelaySummary,
  type SnapshotSummary,
  systemClock,
} from '../../jobs/grades/store/index.js';
import { withLocalIngest } from '../local-ingest.js';

/**
 * What `luca evaluations` does, as functions the demo and other commands call
 * directly. Each opens the local store of the data directory and closes it.
 */
export interface StoreOptions {
  dataDir?: string;
  /** The school calendar date close rules use (`YYYY-MM-DD`); default today. */
  today?: string;
}

export async function withStore<T>(options: StoreOptions, run: (store: GradesStore) => Promise<T>) {
  const clock = options.today ? { ...systemClock, today: () => String(options.today) } : undefined;
  const store = openLocalGradesStore(ensureDataPaths(options.dataDir), { clock });
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

/** Bulk-imports `evaluations.jsonl` (default `<data-dir>/seed/evaluations.jsonl`). */
export async function runEvaluationsImport(
  options: StoreOptions & { file?: string; onProgress?: (done: number) => void },
): Promise<EvaluationImportSummary & { file: string }> {
  const file =
    options.file ?? join(ensureDataPaths(options.dataDir).root, 'seed', 'evaluations.jsonl');
  const summary = await withStore(options, (store) =>
    importEvaluationsFile(store, file, options.onProgress),
  );

  return { ...summary, file };
}

/** Who makes a change from the CLI: a teacher id or a school admin. */
export interface CliActor {
  actorId: string;
  role: Extract<Role, 'teacher' | 'school_admin' | 'service'>;
  idempotencyKey?: string;
}

function contextOf(actor: CliActor) {
  return {
    actor: { id: actor.actorId, role: actor.role },
    idempotencyKey: actor.idempotencyKey,
  };
}

/** Records, corrects or voids one evaluation in the local store. */
export async function runEvaluationChange(
  options: StoreOptions &
    CliActor &
    (
      | { change: 'record'; input: Parameters<GradesStore['recordEvaluation']>[0] }
      | { change: 'correct'; input: Parameters<GradesStore['correctEvaluation']>[0] }
      | { change: 'void'; input: Parameters<GradesStore['voidEvaluation']>[0] }
    ),
): Promise<ChangeResult> {
  return withStore(options, (store) => {
    const context = contextOf(options);
    if (options.change === 'record') return store.recordEvaluation(options.input, context);
    if (options.change === 'correct') return store.correctEvaluation(options.input, context);

    return store.voidEvaluation(options.input, context);
  });
}

/**
 * Relays the outbox into the data directory's landing buffer through the
 * ingest service (in process), like `luca seed` does.
 */
export async function runOutboxRelay(options: { dataDir?: string }): Promise<RelaySummary> {
  const paths = ensureDataPaths(options.dataDir);
  const logger = createLogger({ level: 'warn', base: { component: 'outbox-relay' } });
  const store = openLocalGradesStore(paths);
  try {
    return await withLocalIngest(paths, logger, (ingest) => {
      const relay = new OutboxRelay({
        outbox: store.outbox,
        sink: (principal, events, context) => ingest.ingestBatch(principal, events, context),
        logger,
      });

      return relay.drain();
    });
  } finally {
    await store.close();
  }
}

/** Writes `<lake>/curated/evaluations_current/` for the grades job. */
export async function runEvaluationsExport(options: {
  dataDir?: string;
}): Promise<SnapshotSummary> {
  const paths = ensureDataPaths(options.dataDir);

  return withStore(options, (store) =>
    exportEvaluationsSnapshot(store, paths.lake, {
      pseudonymizer: loadPseudonymizer(paths.secrets),
    }),
  );
}
