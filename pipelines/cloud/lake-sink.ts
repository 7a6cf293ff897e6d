import type { LakeEventRow } from '../../core/index.js';

/** A record a sink gave up on, with the last error it got and how often it tried. */
export interface SinkFailure<T> {
  record: T;
  code: string;
  message: string;
  attempts: number;
}

/** The outcome of one `send`: every record is either delivered or in `failed`. */
export interface SinkResult<T> {
  delivered: number;
  failed: SinkFailure<T>[];
  /** Rounds of calls made (1 when nothing needed a retry). */
  attempts: number;
  /** Service calls made across all rounds. */
  calls: number;
}

/**
 * Where lake rows go to be landed, shaped by what Firehose needs: a batch of
 * rows in, each one either acknowledged or handed back with an error. The local
 * landing buffer has the same shape (append a batch, fsync, acknowledge all or
 * fail all), so the ingest path can target either.
 */
export interface LakeSink<T = LakeEventRow> {
  /** A short name for logs and metrics, e.g. `firehose:luca-grade-events`. */
  readonly name: string;
  /** Delivers `records`; resolves with what could not be delivered, never drops it. */
  send(records: readonly T[]): Promise<SinkResult<T>>;
}
