import type { Command } from 'commander';
import { createDemoContext, type DemoStage, runStages } from '../demo/context.js';
import { acquireRedis } from '../demo/redis.js';
import { gradesStage } from '../demo/stages/grades.js';
import { gradesStoreStage } from '../demo/stages/grades-store.js';
import { ingestStage, landStage } from '../demo/stages/ingest.js';
import { privacyStage } from '../demo/stages/privacy.js';
import { profileStage, realtimeStage } from '../demo/stages/profile.js';
import { servingStage } from '../demo/stages/serving.js';
import { syncStage } from '../demo/stages/sync.js';
import { action } from '../program.js';

/** Every stage that exists, in pipeline order. */
const stages: readonly DemoStage[] = [
  ingestStage,
  gradesStoreStage,
  landStage,
  gradesStage,
  profileStage,
  realtimeStage,
  servingStage,
  syncStage,
  privacyStage,
];

/** `luca demo`: runs every stage that exists, end to end, on generated sample data. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole pipeline on generated sample data and print a summary')
    .action(
      action(async (_options, cmd: Command) => {
        const redis = await acquireRedis();
        try {
          const context = createDemoContext(cmd.optsWithGlobals().dataDir, redis);
          context.say(`data dir: ${context.paths.root} (logs: ${context.logFile})`);
          context.say(
            `redis: ${redis.url}${redis.isPrivate ? ' (private, stopped at the end)' : ''}`,
          );
          await runStages(context, stages);
        } finally {
          await redis.stop();
        }
      }),
    );
}
