import type { Command } from 'commander';
import { eventTypes } from '../../core/index.js';
import { acquireRedis } from '../demo/redis.js';
import { action, pathsOf } from '../program.js';

/** `luca demo`: runs every stage that exists, end to end, on generated sample data. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole pipeline on generated sample data and print a summary')
    .action(
      action(async (_options, cmd) => {
        const paths = pathsOf(cmd);
        const redis = await acquireRedis();
        try {
          process.stdout.write(`data dir: ${paths.root}\n`);
          process.stdout.write(`redis: ${redis.url}${redis.isPrivate ? ' (private)' : ''}\n`);
          process.stdout.write(`event contracts: ${eventTypes.length} types\n`);
        } finally {
          await redis.stop();
        }
      }),
    );
}
