import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  lakeBackfill,
  RealtimeConsumer,
  type RealtimeBackfill,
  type RealtimeConsumerOptions,
  readRealtimeSignals,
  sqliteBufferSource,
} from '../../../jobs/realtime/index.js';
import { profileKeys } from '../../../jobs/publish/index.js';
import { SqliteLandingBuffer } from '../../../pipelines/index.js';
import { local, tempLake } from '../features/lake-fixture.js';
import { capturingLogger } from '../../pipelines/ingest-fixtures.js';
import {
  bufferedEvent,
  landAll,
  memorySource,
  tempDataDirs,
  testScope,
  writeLanded,
} from './realtime-fixture.js';

const scope = testScope();

/** Thursday 2026-10-15, 20:00 school time. */
const thursdayEvening = () => new Date(local('2026-10-15', '20:00'));

/** A consumer on the test's Redis prefix, at `thursdayEvening` unless told otherwise. */
function consumerOn(
  { redis, prefix }: { redis: Redis; prefix: string },
  options: Omit<RealtimeConsumerOptions, 'redis'>,
): RealtimeConsumer {
  return new RealtimeConsumer({ redis, keyPrefix: prefix, now: thursdayEvening, ...options });
}

function logEntries(lines: () => string[], msg: string): Record<string, unknown>[] {
  return lines()
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === msg);
}

describe('RealtimeConsumer catch-up', () => {
  it('shows events landed while it was stopped once it restarts, each counted once', async () => {
    // Prepare: Wednesday's event is applied, then the consumer stops and Thursday's events land.
    const test = scope.redis();
    const dirs = tempDataDirs();
    const buffer = new SqliteLandingBuffer({ dir: dirs.buffer });
    const source = sqliteBufferSource(dirs.buffer);
    scope.defer(
      () => buffer.close(),
      () => source.close?.(),
    );
    const options = { source, backfill: lakeBackfill(dirs.lake) };
    await buffer.append([bufferedEvent('p_s1', local('2026-10-14', '10:00'))]);
    await consumerOn(test, options).pollOnce();
    await buffer.append([
      bufferedEvent('p_s1', local('2026-10-15', '09:00')),
      bufferedEvent('p_s1', local('2026-10-15', '09:30')),
      bufferedEvent('p_s2', local('2026-10-15', '11:00')),
    ]);
    await landAll(buffer, dirs.lake);

    // Act
    const restarted = consumerOn(test, options);
    await restarted.pollOnce();
    const signals = await readRealtimeSignals(test.redis, 't-a', 'p_s1', {
      keyPrefix: test.prefix,
      now: thursdayEvening(),
    });

    // Assess
    expect(signals).toMatchObject({
      today_events: 2,
      today_minutes: 4,
      last_activity_at: local('2026-10-15', '09:30'),
      streak_days: 2,
    });
    expect(restarted.stats()).toMatchObject({
      read: 0,
      cursor: 4,
      catchUps: 1,
      replayed: 4,
      replayApplied: 3,
      replayDuplicates: 1,
    });
  });

  it('changes nothing when it catches up twice, or over events the buffer still holds', async () => {
    // Prepare: a lander published these rows and stopped before deleting them from the buffer.
    const { redis, prefix } = scope.redis();
    const rows = [
      bufferedEvent('p_s1', local('2026-10-15', '09:00')),
      bufferedEvent('p_s1', local('2026-10-15', '09:30')),
      bufferedEvent('p_s2', local('2026-10-15', '10:00')),
    ];
    const lake = tempLake();
    await writeLanded(lake, rows);
    const consumer = consumerOn(
      { redis, prefix },
      {
        source: memorySource(rows),
        backfill: lakeBackfill(lake),
      },
    );
    await consumer.pollOnce();
    const rt = profileKeys(prefix, 't-a').realtime('p_s1');
    const before = await redis.hgetall(rt);

    // Act
    const again = await consumer.catchUp();
    const after = await redis.hgetall(rt);

    // Assess
    expect(before).toMatchObject({ today_events: '2', today_minutes: '4.00' });
    expect(after).toEqual(before);
    expect(again).toMatchObject({ reason: 'requested', rows_in: 3, applied: 0, duplicates: 3 });
    expect(consumer.stats()).toMatchObject({
      applied: 0,
      duplicates: 3,
      catchUps: 2,
      replayApplied: 3,
      replayDuplicates: 3,
    });
  });

  it('counts nothing twice after a gap of numbers never committed, and logs the catch-up', async () => {
    // Prepare: numbers 3 and 4 were rolled back; rows 1 and 2 landed after being applied.
    // The catch-up after the gap reads what was received from 10 minutes before row 2.
    const { redis, prefix } = scope.redis();
    const { logger, lines } = capturingLogger('info');
    const rows = [
      bufferedEvent('p_s1', local('2026-10-15', '09:00')),
      bufferedEvent('p_s1', local('2026-10-15', '09:30')),
      bufferedEvent('p_s1', local('2026-10-15', '10:00')),
    ];
    const lake = tempLake();
    const consumer = consumerOn(
      { redis, prefix },
      {
        source: memorySource(rows, [1, 2, 5]),
        backfill: lakeBackfill(lake),
        batchSize: 2,
        logger,
      },
    );
    await consumer.pollOnce();
    await writeLanded(lake, rows.slice(0, 2));

    // Act
    await consumer.pollOnce();

    // Assess
    const hash = await redis.hgetall(profileKeys(prefix, 't-a').realtime('p_s1'));
    expect(hash).toMatchObject({ today_events: '3', today_minutes: '6.00' });
    expect(logEntries(lines, 'realtime gap')).toEqual([
      expect.objectContaining({ job: 'realtime', cursor: 2, first_seq: 5, gap: 2 }),
    ]);
    expect(logEntries(lines, 'realtime catch-up done').at(-1)).toMatchObject({
      reason: 'gap',
      first_local_date: '2026-10-14',
      last_local_date: '2026-10-15',
      received_since: local('2026-10-15', '09:20'),
      rows_in: 1,
      applied: 0,
      duplicates: 1,
    });
  });

  it('logs a failed catch-up with its code and goes on with the buffer rows', async () => {
    // Prepare
    const { logger, lines } = capturingLogger('info');
    const unreadable: RealtimeBackfill = {
      read: () => ({
        [Symbol.asyncIterator]: () => ({
          next: () => Promise.reject(new Error('lake unreadable')),
        }),
      }),
    };
    const consumer = consumerOn(scope.redis(), {
      source: memorySource([bufferedEvent('p_s1', local('2026-10-15', '09:00'))]),
      backfill: unreadable,
      logger,
    });

    // Act
    const read = await consumer.pollOnce();

    // Assess
    expect(read).toBe(1);
    expect(consumer.stats()).toMatchObject({ applied: 1, catchUps: 1, catchUpFailures: 1 });
    expect(logEntries(lines, 'realtime catch-up failed')).toEqual([
      expect.objectContaining({
        level: 'error',
        reason: 'no_cursor',
        err: expect.objectContaining({ code: 'REALTIME_ERR_CATCH_UP_FAILED' }),
      }),
    ]);
  });

  it('replays today and yesterday only, including today in the next UTC partition', async () => {
    // Prepare: 23:30 on Thursday is 05:30 UTC on Friday, partition event_date=2026-10-16.
    const { redis, prefix } = scope.redis();
    const lake = tempLake();
    await writeLanded(lake, [
      bufferedEvent('p_tuesday', local('2026-10-13', '12:00')),
      bufferedEvent('p_wednesday', local('2026-10-14', '12:00')),
      bufferedEvent('p_late', local('2026-10-15', '23:30')),
      bufferedEvent('p_friday', local('2026-10-16', '00:30')),
    ]);
    const consumer = consumerOn(
      { redis, prefix },
      {
        source: memorySource([]),
        backfill: lakeBackfill(lake),
        now: () => new Date(local('2026-10-15', '23:45')),
      },
    );
    const keys = profileKeys(prefix, 't-a');

    // Act
    await consumer.pollOnce();

    // Assess
    expect(await redis.hget(keys.realtime('p_late'), 'today_events')).toBe('1');
    expect(await redis.exists(keys.realtime('p_wednesday'))).toBe(1);
    expect(await redis.exists(keys.realtime('p_tuesday'))).toBe(0);
    expect(await redis.exists(keys.realtime('p_friday'))).toBe(0);
    expect(consumer.stats()).toMatchObject({ replayed: 2, replayApplied: 2 });
  });
});
