/**
 * Infrastructure as code (AWS CDK): the stack and its constructs. The app entry
 * is `infra/app.ts`; `synthLucaStack` synthesises offline for tests and the CLI.
 */
export { EvaluationsTable } from './constructs/evaluations-table.js';
export { GradePipe, gradePipeFilter, gradePipeSource } from './constructs/grade-pipe.js';
export { detailTypesOf, IngestBus, ingestEventSource } from './constructs/ingest-bus.js';
export { bytesScannedCutoffPerQuery, LakeCatalog } from './constructs/lake-catalog.js';
export { LakeStorage, lakeRetentionDays } from './constructs/lake-storage.js';
export { LandingStream, landingBuffering, landingPrefix } from './constructs/landing-stream.js';
export { maxDataFreshnessSeconds, PipelineAlarms } from './constructs/pipeline-alarms.js';
export { SessionApiRole, tenantLeadingKeys } from './constructs/session-api-role.js';
export { bundleEnrichment, enrichmentEntry } from './enrichment-bundle.js';
export { LucaStack, type LucaStackProps } from './luca-stack.js';
export { type SynthSummary, synthLucaStack } from './synth.js';
