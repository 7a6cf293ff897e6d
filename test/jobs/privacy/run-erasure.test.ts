import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingEnvelope } from '../../../core/index.js';
import { DuckDbEngine, sqlString } from '../../../jobs/engine/index.js';
import type { SqliteGradesStore } from '../../../jobs/grades/store/index.js';
import { profileKeys } from '../../../jobs/publish/index.js';
import { type ErasureSummary, runErasure } from '../../../jobs/privacy/index.js';
import { parquetFilesUnder } from '../../../jobs/privacy/lake-files.js';
import { SqliteLandingBuffer } from '../../../pipelines/buffer/index.js';
import {
  buildBuffer,
  buildLake,
  buildStore,
  curpOf,
  nameOf,
  pseudonymizer,
  students,
  tempDir,
  tenants,
} from './privacy-fixtures.js';

const [tenantA, tenantB] = tenants;
const [erased, kept] = students;
const erasedP = pseudonymizer.pseudonym(tenantA, erased);

/** Rows per (tenant folder, pseudonym) over every file, audit included. */
async function lakeCounts(lakeRoot: string) {
  const engine = await DuckDbEngine.open({ threads: 1 });
  const counts = new Map<string, number>();
  for (const file of parquetFilesUnder(lakeRoot)) {
    const tenant = /tenant_id=([^/]+)/.exec(file)?.[1] ?? '?';
    const zone = file.includes('/raw/audit/') ? 'audit' : 'data';
    const rows = await engine.query<{ student_id: string; n: number }>(
      `select student_id, count(*)::integer as n
       from read_parquet(${sqlString(file)}, hive_partitioning = false) group by 1`,
    );
    for (const row of rows) {
      const key = `${zone}|${tenant}|${row.student_id}`;
      counts.set(key, (counts.get(key) ?? 0) + row.n);
    }
  }
  await engine.close();

  return counts;
}

/** Files (audit excluded) in which any column, as text, contains the pseudonym. */
async function filesNaming(lakeRoot: string, pseudonym: string): Promise<string[]> {
  const engine = await DuckDbEngine.open({ threads: 1 });
  const found: string[] = [];
  for (const file of parquetFilesUnder(lakeRoot).filter((f) => !f.includes('/raw/audit/'))) {
    const [row] = await engine.query<{ n: number }>(
      `select count(*)::integer as n from read_parquet(${sqlString(file)}, hive_partitioning = false) t
       where contains(t::varchar, ${sqlString(pseudonym)})`,
    );
    if ((row?.n ?? 0) > 0) found.push(file);
  }
  await engine.close();

  return found;
}

async function seedRedis(redis: Redis, prefix: string): Promise<void> {
  for (const tenantId of tenants) {
    const keys = profileKeys(prefix, tenantId);
    for (const studentId of students) {
      const p = pseudonymizer.pseudonym(tenantId, studentId);
      for (const version of ['v1', 'v2']) await redis.set(keys.snapshot(version, p), '{}');
      await redis.hset(keys.realtime(p), 'last_activity_at', '2026-09-01T15:00:00Z');
      await redis.sadd(keys.realtimeSeen(p, '2026-09-01'), 'e1');
      await redis.set(`${keys.base}acl:student:${p}`, 'g-1');
    }
    const [pErased, pKept] = students.map((s) => pseudonymizer.pseudonym(tenantId, s));
    await redis.sadd(`${keys.base}acl:guardian:g-only`, pErased as string);
    await redis.sadd(`${keys.base}acl:guardian:g-both`, pErased as string, pKept as string);
  }
}

describe('runErasure', () => {
  const dir = tempDir();
  const lakeRoot = join(dir, 'lake');
  const bufferDir = join(dir, 'buffer');
  const prefix = `test:privacy:${Math.random().toString(36).slice(2)}:`;
  const redis = new Redis({ host: '127.0.0.1', port: 6379, db: 4, lazyConnect: true });
  const events: IncomingEnvelope[] = [];
  let store: SqliteGradesStore;
  let before: Map<string, number>;
  let first: ErasureSummary;
  let second: ErasureSummary;
  let untouchedMtime: number;
  const untouched = join(
    lakeRoot,
    'raw/behaviour',
    `tenant_id=${tenantA}`,
    'event_date=2026-09-04',
    'part-1.parquet',
  );

  beforeAll(async () => {
    await redis.connect();
    await buildLake(lakeRoot);
    await buildBuffer(bufferDir);
    await seedRedis(redis, prefix);
    store = await buildStore(join(dir, 'grades.db'));
    before = await lakeCounts(lakeRoot);
    untouchedMtime = statSync(untouched).mtimeMs;
    const options = {
      tenantId: tenantA,
      studentId: erased,
      store,
      lakeRoot,
      pseudonymizer,
      bufferDir,
      redis,
      keyPrefix: prefix,
      sink: (event: IncomingEnvelope) => {
        events.push(event);
      },
    };
    first = await runErasure(options);
    second = await runErasure(options);
  }, 60_000);

  afterAll(async () => {
    const leftovers = await redis.keys(`${prefix}*`);
    if (leftovers.length > 0) await redis.del(...leftovers);
    redis.disconnect();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('removes the erased student rows and keeps every other row', async () => {
    const after = await lakeCounts(lakeRoot);

    const expected = new Map(before);
    expected.delete(`data|${tenantA}|${erasedP}`);
    expect(after).toEqual(expected);
    expect(first.lake.rows_removed).toBe(before.get(`data|${tenantA}|${erasedP}`));
    expect(first.lake).toMatchObject({ files_rewritten: 5, files_deleted: 1 });
  });

  it('leaves no lake file outside audit naming the pseudonym', async () => {
    expect(await filesNaming(lakeRoot, erasedP)).toEqual([]);
    expect(before.get(`audit|${tenantA}|${erasedP}`)).toBeGreaterThan(0);
  });

  it('keeps the raw column names and types in a rewritten file', async () => {
    const engine = await DuckDbEngine.open({ threads: 1 });
    const rewritten = untouched
      .replace('event_date=2026-09-04', 'event_date=2026-09-01')
      .replace('part-1.parquet', 'part-000000000001-000000000010.parquet');
    const describe = (file: string) =>
      engine.query(
        `describe select * from read_parquet(${sqlString(file)}, hive_partitioning = false)`,
      );

    const [after, reference] = [await describe(rewritten), await describe(untouched)];
    await engine.close();

    expect(after).toEqual(reference);
  });

  it('does not touch a file without the pseudonym', () => {
    expect(statSync(untouched).mtimeMs).toBe(untouchedMtime);
  });

  it('removes the waiting buffer rows of the student only', () => {
    const buffer = new SqliteLandingBuffer({ dir: bufferDir });
    const depth = buffer.depth();
    buffer.close();

    expect(first.buffer_rows_removed).toBe(2);
    expect(depth).toBe(6);
  });

  it('deletes the student keys and guardian links in Redis, in that tenant only', async () => {
    const left = await redis.keys(`${prefix}*`);

    expect(left.filter((key) => key.includes(erasedP))).toEqual([]);
    expect(await redis.smembers(`${prefix}{${tenantA}}:acl:guardian:g-both`)).toEqual([
      pseudonymizer.pseudonym(tenantA, kept),
    ]);
    expect(first.redis).toEqual({ keys_deleted: 5, guardian_links_removed: 2 });
    const otherTenant = pseudonymizer.pseudonym(tenantB, erased);
    expect(left.filter((key) => key.includes(otherTenant))).toHaveLength(5);
  });

  it('removes the name, CURP and guardian links from the roster store', async () => {
    const files = [join(dir, 'grades.db'), join(dir, 'grades.db-wal')];
    const bytes = files.map((f) => (existsSync(f) ? readFileSync(f).toString('latin1') : ''));
    const text = bytes.join('');

    expect(await store.getRoster(tenantA, 'student', erased)).toBeUndefined();
    expect(await store.getRoster(tenantA, 'guardian', 'g-only')).toBeUndefined();
    expect((await store.getRoster(tenantA, 'guardian', 'g-both'))?.data.student_ids).toEqual([
      kept,
    ]);
    expect(await store.getRoster(tenantB, 'student', erased)).toBeDefined();
    expect(first.roster).toMatchObject({
      student_removed: true,
      guardians_unlinked: 1,
      guardians_removed: 1,
    });
    expect(text.includes(nameOf(tenantA, erased))).toBe(false);
    expect(text.includes(curpOf(tenantA, erased))).toBe(false);
    expect(text.includes(nameOf(tenantB, erased))).toBe(true);
  });

  it('sends an audit event with field names and no values', () => {
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      event_type: 'audit.recorded',
      tenant_id: tenantA,
      payload: { action: 'student.erased', outcome: 'allowed' },
    });
    expect(JSON.stringify(events[0]?.payload)).not.toContain('Nombre');
  });

  it('finds nothing left on a second run', () => {
    expect(first.is_nothing_left).toBe(false);
    expect(second.is_nothing_left).toBe(true);
    expect(second.lake).toEqual({
      files_scanned: first.lake.files_scanned - 1,
      files_rewritten: 0,
      files_deleted: 0,
      rows_removed: 0,
    });
    expect(second.audit_event.payload).toMatchObject({ outcome: 'not_found' });
  });
});
