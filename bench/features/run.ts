import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DuckDbEngine, sqlString } from '../../jobs/engine/index.js';
import { duckdbFeatureSource, runFeatures } from '../../jobs/features/index.js';
import { runPublish } from '../../jobs/publish/index.js';
import { parseBenchArgs } from '../bench-args.js';
import { cleanUpOnInterrupt } from '../interrupt.js';
import { deleteKeysWithPrefix } from '../redis-keys.js';
import { generateEvents } from './generate.js';

/**
 * Features and publish benchmark.
 *
 *   npx tsx bench/features/run.ts [--scale 1] [--redis-url redis://127.0.0.1:6379/2]
 *                                 [--threads N] [--keep]
 *   npx tsx bench/features/run.ts                 # 10,000,000 events, 100,000 students
 *   npx tsx bench/features/run.ts --scale 0.05    # quick run: 500,000 events, 5,000 students
 *
 * Prints: generation time; the features job (rows in/out, MB read, seconds);
 * a bare DuckDB scan + group-by of the same Parquet files in the same run and
 * the ratio job / baseline (target <= 3); a second reference that also parses
 * the payload fields (labelled `ref_json`, for reading the gap, not the
 * target); publishing one snapshot per student to Redis (DB 2, a throwaway
 * prefix) in snapshots per second (target >= 50,000) with the time spent
 * reading the lake, building documents and writing them.
 */
const args = parseBenchArgs({
  usage: `Usage:
  npx tsx bench/features/run.ts [--scale 1] [--redis-url redis://127.0.0.1:6379/2]
                                [--threads N] [--keep]
  npx tsx bench/features/run.ts                 # 10,000,000 events, 100,000 students
  npx tsx bench/features/run.ts --scale 0.05    # quick run: 500,000 events, 5,000 students

--threads: DuckDB threads (default: all cores); --keep: keep the generated lake.`,
  options: {
    scale: { type: 'string', default: '1' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379/2' },
    threads: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const { values } = args;
const scale = args.number('scale');
const events = Math.round(10_000_000 * scale);
const students = Math.round(100_000 * scale);
const asOf = '2026-10-15';
const tenant = 't-bench';
const threads = args.number('threads', { isWhole: true });

function log(step: string, figures: Record<string, unknown>): void {
  process.stdout.write(`${step.padEnd(10)} ${JSON.stringify(figures)}\n`);
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await run();

  return { result, seconds: (performance.now() - started) / 1000 };
}

/** The bare scan + group-by the target compares with (kept as it was: never weakened). */
function bareBaselineSql(files: string): string {
  return `select count(*) as n from (
        select student_id, count(*) as events, max(occurred_at) as last_at,
            sum(length(payload)) as payload_bytes
        from read_parquet(${files}) group by student_id)`;
}

/**
 * A second, more demanding reference (not the target's baseline): the same
 * scan and group-by that also parses the payload fields the features read,
 * once per event that carries them. It shows what JSON parsing alone costs.
 */
function jsonBaselineSql(files: string): string {
  return `select count(*) as n from (
        select student_id, count(*) as events, max(occurred_at) as last_at,
            sum(cast(json_extract_string(payload, '$.duration_seconds') as double)) as seconds,
            count(json_extract_string(payload, '$.topic_id')) as topics
        from read_parquet(${files})
        where event_type in ('quiz.answered', 'video.watched', 'game.completed', 'lesson.completed')
        group by student_id)`;
}

async function baseline(
  lakeRoot: string,
  sqlOf: (files: string) => string,
): Promise<{ seconds: number; groups: number }> {
  const source = duckdbFeatureSource(lakeRoot, tenant, asOf);
  if (!source) throw new Error('no generated files');
  const engine = await DuckDbEngine.open({ threads });
  try {
    const files = `[${source.files.map(sqlString).join(', ')}]`;
    const { result, seconds } = await timed(() => engine.query<{ n: string }>(sqlOf(files)));

    return { seconds, groups: Number(result[0]?.n) };
  } finally {
    await engine.close();
  }
}

async function publishBench(lakeRoot: string) {
  const redis = new Redis(values['redis-url']);
  const prefix = `bench-${process.pid}:`;
  const removeKeys = cleanUpOnInterrupt(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });
  try {
    const { result } = await timed(() =>
      runPublish({ lakeRoot, redis, tenants: [tenant], keyPrefix: prefix }),
    );
    const info = await redis.info('memory');

    return { summary: result[0], redisMemory: /used_memory_human:(\S+)/.exec(info)?.[1] };
  } finally {
    await removeKeys();
  }
}

async function main(): Promise<void> {
  const lakeRoot = mkdtempSync(join(tmpdir(), 'luca-bench-features-'));
  // Neither an ended nor an interrupted run leaves the generated lake behind (unless --keep).
  const removeLake = values.keep
    ? async () => undefined
    : cleanUpOnInterrupt(() => rmSync(lakeRoot, { recursive: true, force: true }));
  log('config', {
    events,
    students,
    days: 30,
    as_of: asOf,
    lake: lakeRoot,
    threads: threads ?? 'all',
  });
  const generation = await timed(() =>
    generateEvents({ lakeRoot, tenant, events, students, days: 30, asOf, topics: 8 }),
  );
  log('generate', { seconds: generation.seconds.toFixed(2) });

  const base = await baseline(lakeRoot, bareBaselineSql);
  log('baseline', { seconds: base.seconds.toFixed(2), students: base.groups });
  const withJson = await baseline(lakeRoot, jsonBaselineSql);
  log('ref_json', {
    label: 'scan + JSON fields + group-by (reference only, not the target baseline)',
    seconds: withJson.seconds.toFixed(2),
  });
  const features = await timed(() => runFeatures({ lakeRoot, asOf, tenants: [tenant], threads }));
  const job = features.result.tenants[0];
  log('features', {
    seconds: features.seconds.toFixed(2),
    rows_in: job?.rows_in,
    events_used: job?.events_used,
    students: job?.students,
    rows_out: job?.rows_out,
    mb_read: ((job?.bytes_read ?? 0) / 1_048_576).toFixed(1),
    events_per_second: Math.round((job?.rows_in ?? 0) / features.seconds),
  });
  log('ratio', {
    features_over_baseline: (features.seconds / base.seconds).toFixed(2),
    target: '<= 3',
    features_over_ref_json: (features.seconds / withJson.seconds).toFixed(2),
  });

  const published = await publishBench(lakeRoot);
  log('publish', {
    documents: published.summary?.documents,
    read_ms: published.summary?.read_ms,
    build_ms: published.summary?.build_ms,
    write_ms: published.summary?.write_ms,
    seconds: ((published.summary?.duration_ms ?? 0) / 1000).toFixed(2),
    snapshots_per_second: published.summary?.docs_per_second,
    target: '>= 50000',
    redis_used_memory: published.redisMemory,
  });
  await removeLake();
}

await main();
