import { describe, expect, it } from 'vitest';
import {
  cursorKey,
  RealtimeConsumer,
  readRealtimeSignals,
  sqliteBufferSource,
} from '../../../jobs/realtime/index.js';
import { profileKeys } from '../../../jobs/publish/index.js';
import { SqliteLandingBuffer } from '../../../pipelines/index.js';
import { local } from '../features/lake-fixture.js';
import {
  bufferedEvent,
  memorySource,
  tempBufferDir,
  testScope,
  waitFor,
} from './realtime-fixture.js';

const scope = testScope();

describe('RealtimeConsumer', () => {
  it('makes an ingested event visible in Redis within 5 seconds', async () => {
    // Prepare
    const { redis, prefix } = scope.redis();
    const dir = tempBufferDir();
    const buffer = new SqliteLandingBuffer({ dir });
    const source = sqliteBufferSource(dir);
    const consumer = new RealtimeConsumer({ source, redis, keyPrefix: prefix, pollMs: 100 });
    scope.defer(
      () => buffer.close(),
      () => source.close?.(),
    );
    consumer.start();
    scope.defer(() => consumer.stop());
    const rt = profileKeys(prefix, 't-a').realtime('p_s1');

    // Act
    const occurredAt = new Date().toISOString();
    const ingestedAt = Date.now();
    await buffer.append([bufferedEvent('p_s1', occurredAt)]);
    const hash = await waitFor(async () => {
      const value = await redis.hgetall(rt);
      return Object.keys(value).length > 0 ? value : null;
    }, 5000);
    const visibleAfterMs = Date.now() - ingestedAt;

    // Assess
    expect(hash).toMatchObject({
      today_events: '1',
      today_minutes: '2.00',
      last_activity_at: occurredAt,
    });
    expect(visibleAfterMs).toBeLessThan(5000);
  });

  it('changes nothing when the same events are delivered twice', async () => {
    // Prepare
    const { redis, prefix } = scope.redis();
    const source = memorySource([
      bufferedEvent('p_s1', local('2026-10-15', '09:00')),
      bufferedEvent('p_s1', local('2026-10-15', '09:30')),
    ]);
    const consumer = new RealtimeConsumer({ source, redis, keyPrefix: prefix });
    await consumer.pollOnce();
    const rt = profileKeys(prefix, 't-a').realtime('p_s1');
    const before = await redis.hgetall(rt);

    // Act: a crash before the cursor was saved makes the source deliver both again.
    await redis.del(cursorKey(prefix, 'default'));
    await consumer.pollOnce();
    const after = await redis.hgetall(rt);

    // Assess
    expect(before).toMatchObject({
      today_events: '2',
      today_active_ms: '240000',
      today_minutes: '4.00',
    });
    expect({ ...after, updated_at: '' }).toEqual({ ...before, updated_at: '' });
    expect(consumer.stats()).toMatchObject({ read: 4, applied: 2, duplicates: 2 });
  });

  it('applies no buffered event of a student erased in that tenant', async () => {
    // Prepare
    const { redis, prefix } = scope.redis();
    const source = memorySource([
      bufferedEvent('p_gone', local('2026-10-15', '09:00')),
      bufferedEvent('p_kept', local('2026-10-15', '09:30')),
    ]);
    const erasures = { erasedIn: (tenant: string) => new Set(tenant === 't-a' ? ['p_gone'] : []) };
    const consumer = new RealtimeConsumer({ source, redis, keyPrefix: prefix, erasures });

    // Act
    await consumer.pollOnce();

    // Assess
    const keys = profileKeys(prefix, 't-a');
    expect(await redis.exists(keys.realtime('p_gone'))).toBe(0);
    expect(await redis.hget(keys.realtime('p_kept'), 'today_events')).toBe('1');
    expect(consumer.stats()).toMatchObject({ read: 2, applied: 1, skipped: 1 });
  });

  it('resumes from its saved cursor after a restart', async () => {
    // Prepare
    const { redis, prefix } = scope.redis();
    const source = memorySource([
      bufferedEvent('p_s1', local('2026-10-15', '09:00')),
      bufferedEvent('p_s1', local('2026-10-15', '09:30')),
      bufferedEvent('p_s1', local('2026-10-15', '10:00')),
    ]);
    await new RealtimeConsumer({ source, redis, keyPrefix: prefix, batchSize: 2 }).pollOnce();

    // Act
    const restarted = new RealtimeConsumer({ source, redis, keyPrefix: prefix, batchSize: 2 });
    await restarted.pollOnce();

    // Assess
    expect(restarted.stats()).toMatchObject({ read: 1, applied: 1, cursor: 3 });
    expect(await redis.hget(profileKeys(prefix, 't-a').realtime('p_s1'), 'today_events')).toBe('3');
  });

  it('keeps the live streak across a weekend and resets today on a new day', async () => {
    // Prepare: Thu 8, Fri 9, Sat 10 (no streak step), Mon 12.
    const { redis, prefix } = scope.redis();
    const days = ['2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12'];
    const source = memorySource(days.map((day) => bufferedEvent('p_s1', local(day, '10:00'))));
    const consumer = new RealtimeConsumer({ source, redis, keyPrefix: prefix });

    // Act
    await consumer.pollOnce();
    const monday = await readRealtimeSignals(redis, 't-a', 'p_s1', {
      keyPrefix: prefix,
      now: new Date(local('2026-10-12', '18:00')),
    });
    const wednesday = await readRealtimeSignals(redis, 't-a', 'p_s1', {
      keyPrefix: prefix,
      now: new Date(local('2026-10-14', '08:00')),
    });

    // Assess
    expect(monday).toMatchObject({ streak_days: 3, today_events: 1, today_minutes: 2 });
    expect(wednesday).toMatchObject({ streak_days: 0, today_events: 0 });
  });

  it('counts a late event of an earlier day in last activity only', async () => {
    // Prepare
    const { redis, prefix } = scope.redis();
    const source = memorySource([
      bufferedEvent('p_s1', local('2026-10-15', '09:00')),
      bufferedEvent('p_s1', local('2026-10-14', '23:00')),
      bufferedEvent('p_s2', local('2026-10-15', '09:00'), 'audit.recorded', {}, 't-a'),
    ]);
    source.rows[2] = { ...source.rows[2], family: 'audit' } as (typeof source.rows)[number];
    const consumer = new RealtimeConsumer({ source, redis, keyPrefix: prefix });

    // Act
    await consumer.pollOnce();
    const hash = await redis.hgetall(profileKeys(prefix, 't-a').realtime('p_s1'));

    // Assess
    expect(hash).toMatchObject({
      today_date: '2026-10-15',
      today_events: '1',
      last_activity_at: local('2026-10-15', '09:00'),
    });
    expect(consumer.stats()).toMatchObject({ applied: 2, skipped: 1 });
    expect(await redis.exists(profileKeys(prefix, 't-a').realtime('p_s2'))).toBe(0);
  });
});
