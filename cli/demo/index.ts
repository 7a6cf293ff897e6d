/** The demo's stages, for other tools that need the sample pipeline's output (the serving bench). */
import type { DemoStage } from './context.js';
import { gradesStage } from './stages/grades.js';
import { gradesStoreStage } from './stages/grades-store.js';
import { ingestStage, landStage } from './stages/ingest.js';
import { profileStage } from './stages/profile.js';

export { createDemoContext, type DemoContext, type DemoStage, runStages } from './context.js';
export type { DemoRedis } from './redis.js';

/** Seed through the ingest API up to snapshots published in Redis: the first five stages. */
export const stagesUpToPublish: readonly DemoStage[] = [
  ingestStage,
  gradesStoreStage,
  landStage,
  gradesStage,
  profileStage,
];
