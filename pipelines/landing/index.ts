/** The lander: buffer to Hive-partitioned Parquet in the lake (local stand-in for Firehose). */
export { landingErrors } from './errors.js';
export { type DrainResult, Lander, type LanderOptions, type LandSummary } from './lander.js';
export { type LanderLoop, type LanderLoopOptions, startLanderLoop } from './lander-loop.js';
export {
  type LanderThreadOptions,
  type LanderThreadSettings,
  startLanderThread,
} from './lander-thread.js';
export { type PublishedFile, partFileName } from './publish.js';
export { runLand, type RunLandOptions } from './run-land.js';
export { countStagedEvents, type StagedCounts, stagingModelSql } from './staging-counts.js';
