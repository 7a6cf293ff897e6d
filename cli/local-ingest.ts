import {
  type DataPaths,
  ErasureRegisterCache,
  type Logger,
  loadPseudonymizer,
  type Principal,
  type Role,
} from '../core/index.js';
import {
  createIngestService,
  type IngestService,
  SqliteLandingBuffer,
} from '../pipelines/index.js';

/**
 * Runs `work` with the ingest service over the data directory's landing
 * buffer, built as `luca serve` builds it (the tenant keys of `secrets/`, the
 * lake's erasure registers), then closes the buffer. What the commands that
 * ingest in process (`luca seed`, the outbox relay, `luca erase`) and the
 * demo use.
 *
 * @example
 * await withLocalIngest(paths, logger, (ingest) =>
 *   ingest.ingestBatch(localPrincipal(tenantId, 'ingest', 'seed'), events, { traceId }),
 * );
 */
export async function withLocalIngest<T>(
  paths: DataPaths,
  logger: Logger,
  work: (ingest: IngestService) => Promise<T>,
): Promise<T> {
  const buffer = new SqliteLandingBuffer({ dir: paths.buffer });
  try {
    const ingest = createIngestService({
      buffer,
      pseudonymizer: loadPseudonymizer(paths.secrets),
      logger,
      erasures: new ErasureRegisterCache(paths.lake),
    });

    return await work(ingest);
  } finally {
    buffer.close();
  }
}

/** The caller an in-process producer posts as (no token: it runs on the data directory). */
export function localPrincipal(tenantId: string, role: Role, subject: string): Principal {
  return { tenantId, role, subject, tokenId: undefined };
}
