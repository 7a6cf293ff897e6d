import { Redis } from 'ioredis';
import { curatedDir, loadPseudonymizer, newEventId } from '../../../core/index.js';
import { runFeatures } from '../../../jobs/features/index.js';
import { rosterGroupOf, runPublish } from '../../../jobs/publish/index.js';
import {
  type RealtimeConsumer,
  readRealtimeSignals,
  startRealtime,
} from '../../../jobs/realtime/index.js';
import { localPrincipal, withLocalIngest } from '../../local-ingest.js';
import { count, type DemoContext, type DemoStage } from '../context.js';
import type { SeedEvaluationLine } from './grades-store.js';

/** Batch features over the lake, then one snapshot per student published to Redis. */
export const profileStage: DemoStage = {
  title: 'Behaviour profiles: features in SQL, snapshots published to Redis',
  async run(context: DemoContext) {
    const { paths, logger } = context;
    const seed = context.shared.seed as { as_of: string; tenants: string[] };
    const features = await runFeatures({ lakeRoot: paths.lake, asOf: seed.as_of, logger });
    context.say(
      `   jobs features (as of ${features.as_of}): ${count(features.rows_in)} events in, ` +
        `${count(features.rows_out)} feature rows out, ${count(features.bytes_read)} bytes read, ` +
        `${features.duration_ms} ms -> ${curatedDir(paths.lake, 'student_features')}/`,
    );
    const redis = new Redis(context.redis.url);
    try {
      const pseudonymizer = loadPseudonymizer(paths.secrets);
      const groupOf = await rosterGroupOf(paths, pseudonymizer, seed.tenants);
      const published = await runPublish({
        lakeRoot: paths.lake,
        redis,
        keyPrefix: context.redisPrefix,
        groupOf,
        logger,
      });
      for (const tenant of published) {
        context.say(
          `   publish ${tenant.tenant_id}: version ${tenant.snapshot_version}, ` +
            `${tenant.documents} snapshots (${tenant.with_grades} with ${tenant.period_id} grades), ` +
            `${count(Math.round(tenant.docs_per_second))} snapshots/s`,
        );
      }
    } finally {
      redis.disconnect();
    }
  },
};

/**
 * The consumer starts with no cursor and catches up from the lake; then a new
 * event for one student reaches the real-time signals in Redis within seconds.
 */
export const realtimeStage: DemoStage = {
  title: 'Near-real-time signals: catch up from the lake, ingest one event, watch Redis',
  async run(context: DemoContext) {
    const { paths, logger } = context;
    const target = context.shared.correctedEvaluation as SeedEvaluationLine;
    const redis = new Redis(context.redis.url);
    const realtime = startRealtime({
      bufferDir: paths.buffer,
      lakeRoot: paths.lake,
      redis,
      keyPrefix: context.redisPrefix,
      pollMs: 100,
      logger,
    });
    try {
      const caughtUp = await waitForCatchUp(realtime.consumer);
      context.say(
        `   catch-up from the lake (landed events of today and yesterday, school time): ` +
          `${count(caughtUp.replayed)} replayed, ${count(caughtUp.replayApplied)} applied, ` +
          `${count(caughtUp.replayDuplicates)} already counted`,
      );
      const principal = localPrincipal(target.tenant_id, 'ingest', 'demo');
      const event = {
        event_id: newEventId(),
        event_type: 'lesson.completed',
        schema_version: 1,
        occurred_at: new Date().toISOString(),
        actor: { id: target.student_id, role: 'student' },
        student_id: target.student_id,
        payload: { lesson_id: 'lesson-demo', duration_seconds: 600 },
      };
      const pseudonym = loadPseudonymizer(paths.secrets).pseudonym(
        target.tenant_id,
        target.student_id,
      );
      const before = await readRealtimeSignals(redis, target.tenant_id, pseudonym, {
        keyPrefix: context.redisPrefix,
      });
      await withLocalIngest(paths, logger, async (ingest) => {
        const post = () =>
          ingest.ingestBatch(principal, [event], {
            traceId: crypto.randomUUID().replaceAll('-', ''),
          });
        const started = performance.now();
        await post();
        const signals = await waitForSignals(
          redis,
          { tenant: target.tenant_id, pseudonym, keyPrefix: context.redisPrefix },
          before?.today_events ?? 0,
        );
        const elapsed = Math.round(performance.now() - started);
        context.say(
          `   event acknowledged; signals visible in Redis after ${elapsed} ms: ${JSON.stringify(signals)}`,
        );
        await post();
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const again = await readRealtimeSignals(redis, target.tenant_id, pseudonym, {
        keyPrefix: context.redisPrefix,
      });
      context.say(`   the same event sent again: signals unchanged (${JSON.stringify(again)})`);
    } finally {
      await realtime.stop();
      redis.disconnect();
    }
  },
};

/** Waits for the consumer's first catch-up (it starts with no saved cursor). */
async function waitForCatchUp(consumer: RealtimeConsumer) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const stats = consumer.stats();
    if (stats.catchUps > 0) return stats;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the real-time catch-up did not finish within 30 s');
}

async function waitForSignals(
  redis: Redis,
  student: { tenant: string; pseudonym: string; keyPrefix: string },
  eventsBefore: number,
) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const view = await readRealtimeSignals(redis, student.tenant, student.pseudonym, {
      keyPrefix: student.keyPrefix,
    });
    if (view && view.today_events > eventsBefore) return view;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('real-time signals did not appear within 5 s');
}
