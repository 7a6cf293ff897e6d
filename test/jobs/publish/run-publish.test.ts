import { afterEach, describe, expect, it } from 'vitest';
import { readLayout } from '../../../core/index.js';
import {
  profileKeys,
  readSnapshot,
  snapshotDocument,
  type SnapshotDocument,
} from '../../../jobs/publish/index.js';
import { tenantKeys } from '../../../serving/session/keys.js';
import { lakeWithFeatures, publish, testRedis, writeGrades } from './publish-fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function redisForTest() {
  const handle = testRedis();
  cleanups.push(handle.cleanup);

  return handle;
}

async function readDoc(
  redis: ReturnType<typeof testRedis>['redis'],
  prefix: string,
  student: string,
) {
  const keys = profileKeys(prefix, 't-a');
  const version = await redis.get(keys.current);
  const json = await redis.get(keys.snapshot(version ?? '', student));

  return json === null ? null : (JSON.parse(json) as SnapshotDocument);
}

describe('runPublish', () => {
  it('publishes one valid document per student with explained features', async () => {
    // Prepare
    const { redis, prefix } = redisForTest();
    const lake = await lakeWithFeatures('t-a', ['s1', 's2']);

    // Act
    const [summary] = await publish(lake, redis, prefix);
    const doc = await readDoc(redis, prefix, 's1');

    // Assess
    expect(summary).toMatchObject({
      tenant_id: 't-a',
      documents: 2,
      with_profile: 2,
      with_grades: 0,
    });
    expect(snapshotDocument.parse(doc)).toBeTruthy();
    expect(doc?.snapshot_version).toBe(summary?.snapshot_version);
    const minutes = doc?.profile?.features.find((f) => f.feature_id === 'engagement_minutes_7d');
    expect(minutes).toEqual({
      feature_id: 'engagement_minutes_7d',
      value: 1.5,
      unit: 'minutes',
      window: { days: 7, start: '2026-10-09', end: '2026-10-15' },
      event_count: 2,
      model: 'features/feat_activity.sql',
      version: 1,
      as_of: '2026-10-15',
    });
    expect(doc?.profile?.mastery).toEqual([
      expect.objectContaining({ topic_id: 'fractions', answers: 1, correct: 1, value: 0.6 }),
    ]);
    expect(doc?.grades).toBeNull();
    expect(doc?.freshness.grades_as_of).toBeNull();
    expect(Date.parse(doc?.freshness.profile_as_of ?? '')).toBeLessThanOrEqual(
      Date.parse('2026-10-16T06:00:00.000Z'),
    );
  });

  it('names the clause, features, values and thresholds that raised the flag', async () => {
    // Prepare: s1 last active Oct 8, 5 school days before as_of.
    const { redis, prefix } = redisForTest();
    const { events, featuresFor, local, tempLake, writeRawEvents } = await import(
      '../features/lake-fixture.js'
    );
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [events.session('s1', local('2026-10-08', '10:00'))]);
    await featuresFor(lake, 't-a', '2026-10-15');

    // Act
    await publish(lake, redis, prefix);
    const doc = await readDoc(redis, prefix, 's1');

    // Assess
    expect(doc?.profile?.disengagement).toEqual({
      flag: true,
      rule_id: 'disengagement',
      version: 1,
      reasons: [
        {
          clause_id: 'inactive_school_week',
          feature_id: 'inactive_school_days',
          value: 5,
          op: '>=',
          threshold: 5,
        },
      ],
    });
  });

  it('adds the current period grades with explanations and the general average', async () => {
    // Prepare
    const { redis, prefix } = redisForTest();
    const lake = await lakeWithFeatures('t-a', ['s1']);
    await writeGrades(lake, 't-a', '2026-2027-P1', ['s1', 's9']);

    // Act
    const [summary] = await publish(lake, redis, prefix);
    const withBoth = await readDoc(redis, prefix, 's1');
    const gradesOnly = await readDoc(redis, prefix, 's9');

    // Assess
    expect(summary).toMatchObject({ documents: 2, with_grades: 2, period_id: '2026-2027/P1' });
    expect(snapshotDocument.parse(withBoth).grades).toEqual({
      period_id: '2026-2027/P1',
      as_of: '2026-10-15T07:00:00Z',
      general_average: 6.75,
      subjects: [
        {
          subject_code: 'ESP',
          grade: 5,
          is_passing: false,
          policy_id: 'pol-1',
          policy_version: 3,
          policy_hash: 'sha256:abc',
          explanation: { weights: { exams: 0.6 } },
        },
        {
          subject_code: 'MAT',
          grade: 8.5,
          is_passing: true,
          policy_id: 'pol-1',
          policy_version: 3,
          policy_hash: 'sha256:abc',
          explanation: { weights: { exams: 0.6 } },
        },
      ],
    });
    expect(withBoth?.freshness.grades_as_of).toBe('2026-10-15T07:00:00Z');
    expect(snapshotDocument.parse(gradesOnly).profile?.disengagement.flag).toBe(true);
    expect(gradesOnly?.profile?.features).toEqual([]);
  });

  it('lays out every document so its members can be sliced without parsing', async () => {
    // Prepare
    const { redis, prefix } = redisForTest();
    const lake = await lakeWithFeatures('t-a', ['s1', 's2']);
    await writeGrades(lake, 't-a', '2026-2027-P1', ['s1', 's9']);
    await publish(lake, redis, prefix);
    const keys = profileKeys(prefix, 't-a');
    const version = await redis.get(keys.current);

    // Act
    const docs = await Promise.all(
      ['s1', 's2', 's9'].map((s) => redis.get(keys.snapshot(version ?? '', s))),
    );

    // Assess
    for (const doc of docs as string[]) {
      const layout = readLayout(doc);
      const parsed = JSON.parse(doc) as SnapshotDocument;
      const at = (span: { start: number; end: number }) =>
        JSON.parse(doc.slice(span.start, span.end)) as unknown;
      expect(layout).toBeDefined();
      if (!layout) continue;
      expect(at(layout.profile)).toEqual(parsed.profile);
      expect(at(layout.grades)).toEqual(parsed.grades);
      expect(at(layout.freshness)).toEqual(parsed.freshness);
    }
  });

  it('never puts another student id in a document', async () => {
    // Prepare
    const { redis, prefix } = redisForTest();
    const students = Array.from({ length: 12 }, (_, index) => `p_student${index}`);
    const lake = await lakeWithFeatures('t-a', students);

    // Act
    await publish(lake, redis, prefix, { groupOf: () => 'g1' });

    // Assess
    for (const student of students) {
      const doc = await readDoc(redis, prefix, student);
      const text = JSON.stringify(doc);
      const others = students.filter((other) => other !== student && text.includes(`"${other}"`));
      expect(others).toEqual([]);
      expect(doc?.profile?.cohort?.group_size).toBe(12);
    }
  });

  it('reads a snapshot back in one call, and null for an unknown student', async () => {
    // Prepare
    const { redis, prefix } = redisForTest();
    const lake = await lakeWithFeatures('t-a', ['s1']);
    const [summary] = await publish(lake, redis, prefix);

    // Act
    const doc = await readSnapshot(redis, 't-a', 's1', { keyPrefix: prefix });
    const missing = await readSnapshot(redis, 't-a', 's2', { keyPrefix: prefix });
    const otherTenant = await readSnapshot(redis, 't-b', 's1', { keyPrefix: prefix });

    // Assess
    expect(doc?.snapshot_version).toBe(summary?.snapshot_version);
    expect(missing).toBeNull();
    expect(otherTenant).toBeNull();
  });

  it('uses the same key scheme as the session read API', () => {
    const mine = profileKeys('luca:', 't-a');
    const reader = tenantKeys('luca:', 't-a');

    expect(mine.current).toBe(reader.currentVersion);
    expect(mine.snapshot('v1', 'p_x')).toBe(reader.snapshot('v1', 'p_x'));
    expect(mine.realtime('p_x')).toBe(reader.realtime('p_x'));
  });

  it('rejects a tenant id that is not a slug', async () => {
    const { redis, prefix } = redisForTest();

    await expect(
      publish('/nonexistent', redis, prefix, { tenants: ['T A'] }),
    ).rejects.toMatchObject({
      code: 'PUBLISH_ERR_INVALID_TENANT',
    });
  });
});
