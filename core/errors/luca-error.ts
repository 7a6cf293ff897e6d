/**
 * Base class of every error the project raises on purpose. Each area keeps its
 * own catalogue of stable codes (see `defineErrorCatalogue`); the HTTP edge maps
 * a code to its status in one error handler and the CLI prints the message and
 * exits non-zero. Codes are never reused for another meaning.
 */
export interface ErrorSpec {
  /** HTTP status the edge answers with. */
  readonly status: number;
  /** Short human title, stable per code (RFC 9457 `title`). */
  readonly title: string;
}

export type ErrorCatalogue = Readonly<Record<string, ErrorSpec>>;

export class LucaError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  /** Extra, non-sensitive fields added to the problem document. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: string,
    spec: ErrorSpec,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, { cause: options?.cause });
    this.name = 'LucaError';
    this.code = code;
    this.status = spec.status;
    this.title = spec.title;
    this.details = options?.details;
  }
}

const catalogues = new Map<string, ErrorCatalogue>();

/**
 * Declares an area's error codes and returns a typed factory for them.
 *
 * @example
 * const ingestErrors = defineErrorCatalogue('ingest', {
 *   INGEST_ERR_BATCH_TOO_LARGE: { status: 413, title: 'Batch too large' },
 * });
 * throw ingestErrors.create('INGEST_ERR_BATCH_TOO_LARGE', 'Send at most 500 events.');
 */
export function defineErrorCatalogue<const C extends ErrorCatalogue>(area: string, catalogue: C) {
  catalogues.set(area, catalogue);

  return {
    area,
    catalogue,
    create(
      code: keyof C & string,
      message: string,
      options?: { cause?: unknown; details?: Record<string, unknown> },
    ): LucaError {
      const spec = catalogue[code];
      if (!spec) throw new Error(`unknown error code ${code}`);

      return new LucaError(code, spec, message, options);
    },
  };
}

/** Every catalogue registered so far, by area (used by the docs/errors.md test). */
export function registeredCatalogues(): ReadonlyMap<string, ErrorCatalogue> {
  return catalogues;
}

export function isLucaError(err: unknown): err is LucaError {
  return err instanceof LucaError;
}
