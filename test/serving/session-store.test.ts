import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createServingRedis, SessionStore, tenantKeys } from '../../serving/session/index.js';
import { waitReady } from './session-fixture.js';

const tenant = 't-store';
const clients: Redis[] = [];
const prefixes: string[] = [];
afterEach(async () => {
  const [admin] = clients;
  for (const prefix of prefixes.splice(0)) {
    const keys = (await admin?.keys(`${prefix}*`)) ?? [];
    if (keys.length > 0) await admin?.del(...keys);
  }
  for (const client of clients.splice(0)) client.disconnect();
});

async function storeWithData() {
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  const admin = new Redis('redis://127.0.0.1:6379', { db: 3 });
  const redis = createServingRedis('redis://127.0.0.1:6379', { db: 3, commandTimeoutMs: 1000 });
  clients.push(admin, redis);
  prefixes.push(prefix);
  const keys = tenantKeys(prefix, tenant);
  const publishVersion = async (version: string, students: string[]) => {
    const docs = students.flatMap((s) => [
      keys.snapshot(version, s),
      `{"v":"${version}","s":"${s}"}`,
    ]);
    await admin.mset(...docs);
    await admin.set(keys.currentVersion, version);
  };
  await admin.sadd(keys.guardianChildren('p_guardian'), 'p_child');
  // The read path's client has no offline queue: a read before it connects fails.
  await waitReady(redis);

  return { store: new SessionStore(redis, { prefix }), publishVersion };
}

describe('SessionStore', () => {
  it('serves the document of the version switched to since its last read', async () => {
    // Prepare
    const { store, publishVersion } = await storeWithData();
    await publishVersion('v1', ['p_child']);
    const before = await store.read(tenant, 'tenant', 'p_admin', ['p_child']);

    // Act
    await publishVersion('v2', ['p_child']);
    const after = await store.read(tenant, 'tenant', 'p_admin', ['p_child']);
    const again = await store.read(tenant, 'tenant', 'p_admin', ['p_child']);

    // Assess
    expect(String(before.students[0]?.snapshot)).toBe('{"v":"v1","s":"p_child"}');
    expect(after.version).toBe('v2');
    expect(String(after.students[0]?.snapshot)).toBe('{"v":"v2","s":"p_child"}');
    expect(String(again.students[0]?.snapshot)).toBe('{"v":"v2","s":"p_child"}');
  });

  it('returns no document of a student the caller may not see, and says it exists', async () => {
    // Prepare
    const { store, publishVersion } = await storeWithData();
    await publishVersion('v1', ['p_child', 'p_stranger']);
    await store.read(tenant, 'tenant', 'p_admin', ['p_child']);

    // Act
    const read = await store.read(tenant, 'children', 'p_guardian', [
      'p_child',
      'p_stranger',
      'p_unknown',
    ]);

    // Assess
    expect(read.students).toEqual([
      expect.objectContaining({
        allowed: true,
        exists: true,
        snapshot: Buffer.from('{"v":"v1","s":"p_child"}'),
      }),
      {
        studentPseudonym: 'p_stranger',
        allowed: false,
        exists: true,
        snapshot: undefined,
        realtime: undefined,
      },
      {
        studentPseudonym: 'p_unknown',
        allowed: false,
        exists: false,
        snapshot: undefined,
        realtime: undefined,
      },
    ]);
  });

  it('finds nothing in a tenant that never published', async () => {
    // Prepare
    const { store } = await storeWithData();

    // Act
    const read = await store.read(tenant, 'tenant', 'p_admin', ['p_child']);

    // Assess
    expect(read.version).toBeNull();
    expect(read.students[0]).toMatchObject({ allowed: true, exists: false, snapshot: undefined });
  });
});
