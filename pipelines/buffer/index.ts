/** The durable landing buffer behind one interface; SQLite is the local implementation. */
export type {
  AppendStatus,
  BufferedEvent,
  BufferStats,
  DrainClaim,
  LandingBuffer,
  RangeExport,
  SequencedEvent,
} from './landing-buffer.js';
export { GroupCommitter } from './group-commit.js';
export { pendingColumns } from './sqlite-schema.js';
export { SqliteLandingBuffer, type SqliteBufferOptions } from './sqlite-buffer.js';
