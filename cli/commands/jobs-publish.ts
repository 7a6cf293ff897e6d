import type { Command } from 'commander';
import { Redis } from 'ioredis';
import { createLogger, loadPseudonymizer } from '../../core/index.js';
import { lakeTenants } from '../../jobs/features/index.js';
import { rosterGroupOf, runPublish } from '../../jobs/publish/index.js';
import { startRealtime } from '../../jobs/realtime/index.js';
import { numberArg } from '../options.js';
import { action, pathsOf } from '../program.js';

interface RedisOptions {
  redisUrl?: string;
  keyPrefix: string;
}

function redisOf(options: RedisOptions): Redis {
  return new Redis(options.redisUrl ?? process.env.LUCA_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: 2,
  });
}

/** `luca jobs publish [--tenant T]`: publishes one snapshot per student to Redis. */
export function registerPublishJob(jobs: Command): void {
  jobs
    .command('publish')
    .description('publish one profile + grades snapshot per student to Redis, switched atomically')
    .option('--tenant <tenant>', 'only this tenant (default: every tenant in the lake)')
    .option('--as-of <date>', 'features day to publish (default: the newest)')
    .option('--redis-url <url>', 'Redis (default: $LUCA_REDIS_URL or redis://127.0.0.1:6379)')
    .option('--key-prefix <prefix>', 'Redis key prefix', 'luca:')
    .action(
      action(async (options: RedisOptions & { tenant?: string; asOf?: string }, cmd: Command) => {
        const logger = createLogger({ destination: process.stderr });
        const paths = pathsOf(cmd);
        const tenants = options.tenant ? [options.tenant] : lakeTenants(paths.lake);
        const groupOf = await rosterGroupOf(paths, loadPseudonymizer(paths.secrets), tenants);
        const redis = redisOf(options);
        try {
          const summaries = await runPublish({
            lakeRoot: paths.lake,
            redis,
            tenants,
            groupOf,
            asOf: options.asOf,
            keyPrefix: options.keyPrefix,
            logger,
          });
          for (const s of summaries) {
            process.stdout.write(
              `${s.tenant_id}: version ${s.snapshot_version} (previous ${s.previous_version ?? 'none'}), ` +
                `${s.documents} documents (${s.with_profile} with profile as_of ${s.as_of ?? '-'}, ` +
                `${s.with_grades} with grades ${s.period_id ?? '-'}), ${s.duration_ms} ms, ` +
                `${s.docs_per_second} docs/s\n`,
            );
          }
        } finally {
          redis.disconnect();
        }
      }),
    );
}

/** `luca jobs realtime`: runs the real-time signals consumer until Ctrl-C. */
export function registerRealtimeJob(jobs: Command): void {
  jobs
    .command('realtime')
    .description(
      'keep per-student real-time signals in Redis from the landing buffer, caught up from the lake (Ctrl-C stops)',
    )
    .option('--redis-url <url>', 'Redis (default: $LUCA_REDIS_URL or redis://127.0.0.1:6379)')
    .option('--key-prefix <prefix>', 'Redis key prefix', 'luca:')
    .option('--poll-ms <ms>', 'wait between empty polls', numberArg({ whole: true, min: 1 }), 200)
    .action(
      action(async (options: RedisOptions & { pollMs: number }, cmd: Command) => {
        const logger = createLogger({ destination: process.stderr });
        const redis = redisOf(options);
        const paths = pathsOf(cmd);
        const realtime = startRealtime({
          bufferDir: paths.buffer,
          lakeRoot: paths.lake,
          redis,
          keyPrefix: options.keyPrefix,
          pollMs: options.pollMs,
          logger,
        });
        logger.info({ job: 'realtime' }, 'realtime consumer started');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        const stats = await realtime.stop();
        redis.disconnect();
        process.stdout.write(`${JSON.stringify(stats)}\n`);
      }),
    );
}
