/**
 * Near-real-time signals of the student profile: a consumer of newly ingested
 * events keeping last activity, today's events and minutes, and the live
 * streak per student in Redis.
 */
export { applyEventScript } from './apply-script.js';
export {
  cursorKey,
  RealtimeConsumer,
  type RealtimeConsumerOptions,
  type RealtimeStats,
} from './consumer.js';
export { type RealtimeEventSource, sqliteBufferSource } from './event-source.js';
export { readRealtimeSignals, type RealtimeView } from './read-signals.js';
export { activeSecondsOf, schoolDayOf, signalInputOf } from './signals.js';
export {
  type RunningRealtime,
  type StartRealtimeOptions,
  startRealtime,
} from './start-realtime.js';
