import type { EventFamily, LakeEventRow } from '../../core/index.js';

/** One event as it waits in the buffer: a lake row (ids already pseudonymised) and its family. */
export interface BufferedEvent extends LakeEventRow {
  readonly family: EventFamily;
}

/** A buffered event with the sequence number the buffer gave it (drain order). */
export interface SequencedEvent extends BufferedEvent {
  readonly seq: number;
}

/** What `append` did with each event, in input order. */
export type AppendStatus = 'accepted' | 'duplicate';

/**
 * A contiguous range of sequence numbers a lander has claimed. The claim is
 * durable: after a crash the next lander gets the same range back, so it writes
 * the same file names and replaces what a half-finished run published.
 */
export interface DrainClaim {
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** True when this claim was left by an earlier run that did not finish. */
  readonly isResumed: boolean;
}

/** What `exportJsonLines` wrote: all rows, and the families it wrote a file for. */
export interface RangeExport {
  readonly rows: number;
  readonly families: EventFamily[];
}

export interface BufferStats {
  /** Rows waiting to land (upper bound: sequence gaps from rolled back writes count). */
  readonly depth: number;
  /** `received_at` of the oldest waiting row, or null when empty. */
  readonly oldestReceivedAt: string | null;
}

/**
 * The durable landing buffer: the local stand-in for what Firehose does in the
 * cloud. `append` resolves only after the rows are on disk (fsync), so the API
 * may acknowledge them; it deduplicates by (tenant_id, event_id) for the
 * retention window, including ids already landed.
 */
export interface LandingBuffer {
  /** Stores rows durably and says which were new. Rejects with `BUFFER_ERR_UNAVAILABLE`. */
  append(events: readonly BufferedEvent[]): Promise<AppendStatus[]>;
  /** Cheap depth (two index lookups); used on every request for backpressure. */
  depth(): number;
  /** Depth and oldest waiting row; cheap (index lookups only). */
  stats(): BufferStats;
  /**
   * The range to land next (an unfinished claim first), or null when nothing
   * waits: at most `maxRows` sequence numbers from the oldest waiting row.
   */
  claim(maxRows: number): DrainClaim | null;
  read(claim: DrainClaim): SequencedEvent[];
  /**
   * Writes a claimed range as JSON lines (one object per row, the `read`
   * columns), one file per family (`fileOf(family)`, written only for the
   * families the range holds), without building a JS object per row; yields
   * to the event loop between slices. Returns how many rows it wrote and
   * their families.
   */
  exportJsonLines(claim: DrainClaim, fileOf: (family: EventFamily) => string): Promise<RangeExport>;
  /** Marks a claimed range landed: its rows leave the buffer, their ids stay for dedup. */
  complete(claim: DrainClaim): void;
  /** Forgets dedup ids first seen before `before`; returns how many. */
  pruneDedup(before: Date): number;
  close(): void;
}
