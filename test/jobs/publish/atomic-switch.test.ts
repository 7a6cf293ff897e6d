import { afterEach, describe, expect, it } from 'vitest';
import { profileKeys } from '../../../jobs/publish/index.js';
import { lakeWithFeatures, publish, testRedis } from './publish-fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const students = ['s1', 's2', 's3', 's4', 's5', 's6'];

describe('runPublish atomic switch', () => {
  it('leaves readers on the previous version when a publish dies half-way, and the next one completes', async () => {
    // Prepare
    const handle = testRedis();
    cleanups.push(handle.cleanup);
    const { redis, prefix } = handle;
    const keys = profileKeys(prefix, 't-a');
    const lake = await lakeWithFeatures('t-a', students);
    const [first] = await publish(lake, redis, prefix, { batchSize: 2 });
    const firstVersion = first?.snapshot_version ?? '';

    // Act: the second publish fails after its first batch of 2 documents.
    const interrupted = publish(lake, redis, prefix, {
      batchSize: 2,
      onBatch: (written) => {
        if (written >= 2) throw new Error('simulated crash after 2 documents');
      },
    });
    await expect(interrupted).rejects.toMatchObject({
      code: 'PUBLISH_ERR_STORE_UNAVAILABLE',
      cause: new Error('simulated crash after 2 documents'),
    });
    const currentAfterCrash = await redis.get(keys.current);
    const docAfterCrash = await redis.get(keys.snapshot(firstVersion, 's6'));
    const partialKeys = await redis.keys(`${keys.base}snap:*`);
    const [third] = await publish(lake, redis, prefix, { batchSize: 2 });

    // Assess: readers stayed on the first version, with every document there.
    expect(currentAfterCrash).toBe(firstVersion);
    expect(JSON.parse(docAfterCrash ?? '{}').snapshot_version).toBe(firstVersion);
    const orphanKeys = partialKeys.filter(
      (key) => !key.includes(firstVersion) && !key.endsWith(':current'),
    );
    expect(orphanKeys).toHaveLength(2);
    for (const key of orphanKeys) expect(await redis.ttl(key)).toBeLessThanOrEqual(60);

    // Assess: the next publish completed and switched; the old version expires soon.
    expect(third?.documents).toBe(6);
    expect(third?.previous_version).toBe(firstVersion);
    expect(await redis.get(keys.current)).toBe(third?.snapshot_version);
    for (const student of students) {
      const doc = await redis.get(keys.snapshot(third?.snapshot_version ?? '', student));
      expect(JSON.parse(doc ?? '{}').snapshot_version).toBe(third?.snapshot_version);
      const oldTtl = await redis.ttl(keys.snapshot(firstVersion, student));
      expect(oldTtl).toBeGreaterThan(0);
      expect(oldTtl).toBeLessThanOrEqual(300);
    }
    expect(await redis.ttl(keys.snapshot(third?.snapshot_version ?? '', 's1'))).toBeGreaterThan(
      86_400,
    );
  });

  it('refuses to run while another publish of the tenant holds the lock', async () => {
    // Prepare
    const handle = testRedis();
    cleanups.push(handle.cleanup);
    const { redis, prefix } = handle;
    const lake = await lakeWithFeatures('t-a', ['s1']);
    await redis.set(profileKeys(prefix, 't-a').lock, 'someone-else', 'PX', 60_000);

    // Act
    const attempt = publish(lake, redis, prefix);

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'PUBLISH_ERR_LOCKED' });
    expect(await redis.get(profileKeys(prefix, 't-a').current)).toBeNull();
  });
});
