import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ErasureRegisterCache, type EventFamily, type Logger } from '../../core/index.js';
import type { DrainClaim, LandingBuffer } from '../buffer/index.js';
import { landingErrors } from './errors.js';
import { ParquetWriter } from './parquet-writer.js';
import { type PublishedFile, publishStaged, removeStaleStaging } from './publish.js';

export interface LanderOptions {
  buffer: LandingBuffer;
  /** Root of the lake (`<data-dir>/lake`). */
  lakeRoot: string;
  logger: Logger;
  /** Rows per drain (one file per partition per drain); default 100,000. */
  maxRowsPerDrain?: number;
  /** DuckDB threads for writing Parquet; default 1 (leaves the API its core). */
  threads?: number;
  /** The erasure registers; default: those of `lakeRoot` (ADR 0092). */
  erasures?: ErasureRegisterCache;
}

/** What one drain did. */
export interface DrainResult {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly rows: number;
  /** Rows DuckDB reports written to Parquet (`rows - erasedDropped` unless something is wrong). */
  readonly rowsWritten: number;
  /** Grade and behaviour rows left out because their student is in the erasure register. */
  readonly erasedDropped: number;
  readonly files: readonly PublishedFile[];
  readonly isResumed: boolean;
  readonly durationMs: number;
}

/** Totals of `drainAll` (what `luca land` prints). */
export interface LandSummary {
  readonly drains: number;
  readonly rowsIn: number;
  readonly rowsOut: number;
  /** Rows left out because their student was erased (see `DrainResult.erasedDropped`). */
  readonly erasedDropped: number;
  readonly files: number;
  readonly partitions: number;
  readonly durationMs: number;
  readonly lakeRoot: string;
}

/**
 * The local stand-in for Firehose: claims a range of buffered rows, writes it
 * as Parquet with DuckDB, publishes the files atomically under deterministic
 * names, and only then marks the range landed. A crash anywhere repeats the
 * same claim with the same file names, so the lake never holds a row twice.
 */
export class Lander {
  readonly #options: Required<Omit<LanderOptions, 'threads' | 'erasures'>>;
  readonly #writer: ParquetWriter;
  readonly #erasures: ErasureRegisterCache;
  readonly #stagingRoot: string;

  private constructor(options: LanderOptions, writer: ParquetWriter) {
    this.#options = { ...options, maxRowsPerDrain: options.maxRowsPerDrain ?? 100_000 };
    this.#writer = writer;
    this.#erasures = options.erasures ?? new ErasureRegisterCache(options.lakeRoot);
    this.#stagingRoot = join(options.lakeRoot, '.landing');
  }

  static async open(options: LanderOptions): Promise<Lander> {
    const maxRows = options.maxRowsPerDrain ?? 100_000;
    if (!Number.isInteger(maxRows) || maxRows < 1) {
      throw landingErrors.create(
        'LANDING_ERR_INVALID_OPTION',
        'maxRowsPerDrain must be a positive integer.',
      );
    }
    const removed = removeStaleStaging(join(options.lakeRoot, '.landing'));
    if (removed > 0) options.logger.warn({ folders: removed }, 'removed stale landing staging');

    return new Lander(options, await ParquetWriter.open(options.threads ?? 1));
  }

  /** Lands one claimed range; null when the buffer is empty. */
  async drainOnce(): Promise<DrainResult | null> {
    const started = performance.now();
    const { buffer, lakeRoot, logger, maxRowsPerDrain } = this.#options;
    const claim = buffer.claim(maxRowsPerDrain);
    if (!claim) return null;

    const { rows, files, rowsWritten, erasedDropped } = await this.#writeAndPublish(claim);
    if (rowsWritten + erasedDropped !== rows) {
      const message =
        `DuckDB wrote ${rowsWritten} of ${rows} rows (${erasedDropped} left out as erased); ` +
        'the range stays buffered.';
      throw landingErrors.create('LANDING_ERR_WRITE_FAILED', message);
    }
    buffer.complete(claim);
    const result = {
      firstSeq: claim.firstSeq,
      lastSeq: claim.lastSeq,
      rows,
      rowsWritten,
      erasedDropped,
      files,
      isResumed: claim.isResumed,
      durationMs: Math.round(performance.now() - started),
    };
    logger.info(
      {
        first_seq: claim.firstSeq,
        last_seq: claim.lastSeq,
        rows_in: rows,
        rows_out: rowsWritten,
        erased_dropped: erasedDropped,
        files: files.length,
        is_resumed: claim.isResumed,
        duration_ms: result.durationMs,
        lake: lakeRoot,
      },
      'range landed',
    );

    return result;
  }

  /** Exports the range to JSON-lines files in staging (one per family), writes Parquet, publishes. */
  async #writeAndPublish(claim: DrainClaim) {
    const staging = join(this.#stagingRoot, `${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(staging, { recursive: true });
    try {
      const linesOf = (family: EventFamily) => join(staging, `${family}.jsonl`);
      const { rows, families } = await this.#options.buffer.exportJsonLines(claim, linesOf);
      if (rows === 0) return { rows, files: [], rowsWritten: 0, erasedDropped: 0 };
      // The registers are read after the export: a row exported here was
      // committed before this read, so a row committed after an erasure
      // registered its student is always left out (ADR 0092).
      await this.#writer.setErasedStudents(this.#erasures.erasedByTenant());
      const rowsWritten = await this.#writer.writeJsonLines(linesOf, families, staging);
      const erasedDropped =
        rowsWritten < rows ? await this.#writer.countErased(linesOf, families) : 0;
      const files = publishStaged(staging, families, claim, this.#options.lakeRoot);

      return { rows, files, rowsWritten, erasedDropped };
    } catch (cause) {
      throw landingErrors.create(
        'LANDING_ERR_WRITE_FAILED',
        'Writing lake files failed; the range stays buffered.',
        { cause },
      );
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }

  /** Drains until the buffer is empty; `onDrain` sees each range (progress). */
  async drainAll(onDrain?: (result: DrainResult) => void): Promise<LandSummary> {
    const started = performance.now();
    let drains = 0;
    let rows = 0;
    let rowsOut = 0;
    let erasedDropped = 0;
    const partitions = new Set<string>();
    let files = 0;
    for (let result = await this.drainOnce(); result; result = await this.drainOnce()) {
      drains += 1;
      rows += result.rows;
      rowsOut += result.rowsWritten;
      erasedDropped += result.erasedDropped;
      files += result.files.length;
      for (const file of result.files)
        partitions.add(`${file.family}/${file.tenantId}/${file.eventDate}`);
      onDrain?.(result);
    }

    return {
      drains,
      rowsIn: rows,
      rowsOut,
      erasedDropped,
      files,
      partitions: partitions.size,
      durationMs: Math.round(performance.now() - started),
      lakeRoot: this.#options.lakeRoot,
    };
  }

  close(): void {
    this.#writer.close();
  }
}
