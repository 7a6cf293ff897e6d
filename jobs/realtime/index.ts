/**
 * Near-real-time signals of the student profile: a consumer of newly ingested
 * events keeping last activity, today's events and minutes, and the live
 * streak per student in Redis, caught up from the lake after a gap.
 */
export { applyEventScript } from './apply-script.js';
export {
  type LandedEvent,
  type RealtimeBackfill,
  type ReplayWindow,
  replayWindow,
} from './backfill.js';
export {
  type CatchUpReason,
  type CatchUpStats,
  type CatchUpSummary,
  LakeCatchUp,
  type LakeCatchUpOptions,
} from './catch-up.js';
export {
  cursorKey,
  RealtimeConsumer,
  type RealtimeConsumerOptions,
  type RealtimeStats,
} from './consumer.js';
export { realtimeErrors } from './errors.js';
export { type RealtimeEventSource, sqliteBufferSource } from './event-source.js';
export { type LakeBackfillOptions, lakeBackfill, replaySql } from './lake-backfill.js';
export { readRealtimeSignals, type RealtimeView } from './read-signals.js';
export { activeSecondsOf, schoolDayOf, signalInputOf } from './signals.js';
export {
  type RunningRealtime,
  type StartRealtimeOptions,
  startRealtime,
} from './start-realtime.js';
