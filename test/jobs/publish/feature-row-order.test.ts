import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbEngine, sqlString } from '../../../jobs/engine/index.js';
import { studentFeaturesDir } from '../../../jobs/features/index.js';
import { profileKeys } from '../../../jobs/publish/index.js';
import { events, featuresFor, local, tempLake, writeRawEvents } from '../features/lake-fixture.js';
import { publish, testRedis } from './publish-fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const students = ['s1', 's2', 's3'];

async function lakeWithTopics() {
  const lake = tempLake();
  const list = students.flatMap((student, index) => [
    events.lesson(student, local('2026-10-14', '10:00'), 60 * (index + 1)),
    events.quiz(student, local('2026-10-14', '10:30'), true, 'fractions'),
    events.quiz(student, local('2026-10-13', '11:30'), index === 1, 'decimals'),
    events.video(student, local('2026-10-12', '09:00'), 100 * index, 200),
  ]);
  await writeRawEvents(lake, 't-a', list);
  await featuresFor(lake, 't-a', '2026-10-15');

  return lake;
}

/** Rewrites the features file with its rows in reverse order, as another writer might. */
async function reverseFeatureRows(lake: string) {
  const file = join(studentFeaturesDir(lake, '2026-10-15', 't-a'), 'part-0.parquet');
  const engine = await DuckDbEngine.open({ threads: 1 });
  try {
    await engine.run(
      `copy (select * from read_parquet(${sqlString(file)})
        order by student_id desc, feature_id desc, topic_id desc nulls first)
      to ${sqlString(`${file}.reversed`)} (format parquet)`,
    );
  } finally {
    await engine.close();
  }
  renameSync(`${file}.reversed`, file);
}

async function documentsOf(lake: string) {
  const handle = testRedis();
  cleanups.push(handle.cleanup);
  const [summary] = await publish(lake, handle.redis, handle.prefix);
  const keys = profileKeys(handle.prefix, 't-a');
  const docs = await Promise.all(
    students.map((student) =>
      handle.redis.get(keys.snapshot(summary?.snapshot_version ?? '', student)),
    ),
  );

  return docs.map((doc) => {
    const parsed = JSON.parse(doc ?? '{}');

    return { profile: parsed.profile, student_id: parsed.student_id };
  });
}

describe('runPublish feature row order', () => {
  it('gives the same documents when the features file is not in student order', async () => {
    // Prepare
    const lake = await lakeWithTopics();
    const inWriterOrder = await documentsOf(lake);
    await reverseFeatureRows(lake);

    // Act
    const inReverseOrder = await documentsOf(lake);

    // Assess
    expect(inReverseOrder).toEqual(inWriterOrder);
    const [first] = inReverseOrder;
    expect(first?.profile.mastery.map((entry: { topic_id: string }) => entry.topic_id)).toEqual([
      'decimals',
      'fractions',
    ]);
    const featureIds = first?.profile.features.map(
      (entry: { feature_id: string }) => entry.feature_id,
    );
    expect(featureIds).toEqual([...featureIds].sort());
  });
});
