import {
  type EventType,
  familyOf,
  isEventType,
  isLucaError,
  type LakeEventRow,
} from '../../core/index.js';
import type { LandingBuffer } from '../buffer/index.js';
import type { LakeSink, SinkResult } from './lake-sink.js';

/**
 * The local landing buffer seen as a `LakeSink`, so code written against the
 * sink (the enrichment's output, a producer) lands locally exactly as it would
 * through Firehose. The buffer is all-or-nothing: one fsync'd transaction
 * accepts the whole batch (a `duplicate` is an event already accepted, so it
 * counts as delivered) or the whole batch comes back failed.
 */
export class LandingBufferSink implements LakeSink<LakeEventRow> {
  readonly name = 'local:landing-buffer';
  readonly #buffer: LandingBuffer;

  constructor(buffer: LandingBuffer) {
    this.#buffer = buffer;
  }

  async send(rows: readonly LakeEventRow[]): Promise<SinkResult<LakeEventRow>> {
    const failed: SinkResult<LakeEventRow>['failed'] = [];
    const accepted: LakeEventRow[] = [];
    for (const row of rows) {
      if (isEventType(row.event_type)) accepted.push(row);
      else
        failed.push({
          record: row,
          code: 'UnknownEventType',
          message: row.event_type,
          attempts: 0,
        });
    }
    if (accepted.length === 0) return { delivered: 0, failed, attempts: 0, calls: 0 };

    try {
      const events = accepted.map((row) => ({
        ...row,
        family: familyOf(row.event_type as EventType),
      }));
      await this.#buffer.append(events);
    } catch (err) {
      const code = isLucaError(err) ? err.code : 'BufferUnavailable';
      const message = err instanceof Error ? err.message : String(err);
      for (const record of accepted) failed.push({ record, code, message, attempts: 1 });

      return { delivered: 0, failed, attempts: 1, calls: 1 };
    }

    return { delivered: accepted.length, failed, attempts: 1, calls: 1 };
  }
}
