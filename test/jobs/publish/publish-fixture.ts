import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DuckDbEngine, sqlString } from '../../../jobs/engine/index.js';
import { type RunPublishOptions, runPublish } from '../../../jobs/publish/index.js';
import { events, featuresFor, local, tempLake, writeRawEvents } from '../features/lake-fixture.js';

/** Redis DB reserved for the profile's tests. */
export const testRedisDb = 2;

/** A client on the test DB and a random key prefix, plus cleanup of that prefix. */
export function testRedis() {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, db: testRedisDb, lazyConnect: false });
  const prefix = `test-${randomBytes(6).toString('hex')}:`;
  const cleanup = async () => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  };

  return { redis, prefix, cleanup };
}

/** A lake with features for `students` (one lesson each yesterday) on 2026-10-15. */
export async function lakeWithFeatures(tenant: string, students: string[]) {
  const lake = tempLake();
  const list = students.flatMap((student, index) => [
    events.lesson(student, local('2026-10-14', '10:00'), 60 * (index + 1)),
    events.quiz(student, local('2026-10-14', '10:30'), index % 2 === 0, 'fractions'),
  ]);
  await writeRawEvents(lake, tenant, list);
  await featuresFor(lake, tenant, '2026-10-15');

  return lake;
}

/** Writes consolidated grades and general averages the way the grades job lays them out. */
export async function writeGrades(
  lake: string,
  tenant: string,
  periodKey: string,
  students: string[],
) {
  const engine = await DuckDbEngine.open({ threads: 1 });
  try {
    const partition = [`tenant_id=${tenant}`, `period_key=${periodKey}`];
    const gradesDir = join(lake, 'curated', 'consolidated_grades', ...partition);
    const averagesDir = join(lake, 'curated', 'general_averages', ...partition);
    mkdirSync(gradesDir, { recursive: true });
    mkdirSync(averagesDir, { recursive: true });
    const values = students
      .flatMap((student) => [
        `(${sqlString(student)}, 'MAT', 8.5, 8.46, true)`,
        `(${sqlString(student)}, 'ESP', 5.0, 5.0, false)`,
      ])
      .join(', ');
    const period = periodKey.replace(/-P/, '/P');
    await engine.run(`copy (
      select student_id, subject_code, '${period}' as period_id, cast(grade as decimal(4, 2)) as grade,
        grade_unrounded, is_passing, 'pol-1' as policy_id, 3 as policy_version,
        'sha256:abc' as policy_hash, '{"weights":{"exams":0.6}}' as explanation,
        timestamptz '2026-10-15 07:00:00+00' as computed_at
      from (values ${values}) as t(student_id, subject_code, grade, grade_unrounded, is_passing)
    ) to ${sqlString(join(gradesDir, 'part-0.parquet'))} (format parquet)`);
    await engine.run(`copy (
      select student_id, '${period}' as period_id, cast(6.75 as decimal(8, 2)) as general_average
      from (values ${students.map((s) => `(${sqlString(s)})`).join(', ')}) as t(student_id)
    ) to ${sqlString(join(averagesDir, 'part-0.parquet'))} (format parquet)`);
  } finally {
    await engine.close();
  }
}

/** Runs a publish with test defaults (small batches, fixed clock). */
export function publish(
  lake: string,
  redis: Redis,
  prefix: string,
  extra: Partial<RunPublishOptions> = {},
) {
  return runPublish({
    lakeRoot: lake,
    redis,
    keyPrefix: prefix,
    gradesDate: '2026-10-15',
    now: () => new Date('2026-10-16T12:00:00.000Z'),
    ...extra,
  });
}
