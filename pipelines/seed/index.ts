/**
 * The sample-data generator behind `luca seed`: a deterministic school system
 * (schools, groups, teachers, guardians, students with CURPs), evaluations and
 * bell-timed behaviour events, streamed to a file or through the ingest path.
 */
export { schoolBehaviour, engagementOn, type BehaviourOptions } from './behaviour.js';
export {
  bellSchedules,
  isSchoolDay,
  localToUtcMs,
  schoolDaysBack,
  type Shift,
} from './calendar.js';
export { cctCheckLetter, cctFor, cctPattern, cctTypes, type CctType, isSeedCct } from './cct.js';
export { buildCurp, breakCheckDigit, type CurpPerson } from './curp-builder.js';
export { seedErrors } from './errors.js';
export { evaluationRecordedEvent } from './evaluation-events.js';
export { schoolEvaluations, type EvaluationOptions, type SeedEvaluation } from './evaluations.js';
export type { EventSink, SinkReport } from './event-sinks.js';
export type { IngestEventResult, IngestFunction, RetryPolicy } from './ingest-targets.js';
export {
  mexicoCityDate,
  resolveSeedOptions,
  type SeedOptions,
  type SeedProgress,
} from './options.js';
export { Rng } from './random.js';
export { rosterLines, type RosterLine } from './roster-lines.js';
export { planSchool, type RosterOptions, type SchoolPlan } from './roster.js';
export { runSeed, type SeedSummary } from './run-seed.js';
export { correctChance, topicDifficulty } from './sessions.js';
export { appSubjectsFor, sepSubjects, subjectsFor, topicsFor } from './subjects.js';
