import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { schoolToday } from '../../jobs/features/index.js';
import {
  lakeBackfill,
  RealtimeConsumer,
  replayWindow,
  type ReplayWindow,
} from '../../jobs/realtime/index.js';
import { generateEvents } from '../features/generate.js';

/**
 * Real-time catch-up from the lake, measured once.
 *
 *   npx tsx bench/realtime/catch-up.ts [--events 100000] [--students 5000]
 *                                      [--redis-url redis://127.0.0.1:6379/2]
 *
 * Generates one school-local day (today) of behaviour events in a temporary
 * lake, then prints: the DuckDB read alone (events streamed in batches of
 * 1,000, nothing applied), a first catch-up into an empty Redis prefix (every
 * event new) and a second one over the same day (every event already
 * counted), each in events per second.
 */
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    students: { type: 'string', default: '5000' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379/2' },
  },
});
const events = Number(values.events);
const lakeRoot = mkdtempSync(join(tmpdir(), 'luca-bench-realtime-'));
const prefix = `bench-realtime-${process.pid}:`;
const redis = new Redis(values['redis-url']);

function print(step: string, figures: Record<string, unknown>): void {
  process.stdout.write(`${step.padEnd(12)} ${JSON.stringify(figures)}\n`);
}

async function readOnly(window: ReplayWindow): Promise<number> {
  let rows = 0;
  for await (const batch of lakeBackfill(lakeRoot).read(window, 1000)) rows += batch.length;

  return rows;
}

try {
  const now = new Date();
  await generateEvents({
    lakeRoot,
    tenant: 't-bench',
    events,
    students: Number(values.students),
    days: 1,
    asOf: schoolToday(now),
    topics: 20,
  });
  print('lake', { events, load: loadavg()[0]?.toFixed(2) });
  const window = replayWindow(now, 3 * 86_400) as ReplayWindow;
  const readStarted = performance.now();
  const rows = await readOnly(window);
  const readMs = Math.round(performance.now() - readStarted);
  print('read', { rows, ms: readMs, per_second: Math.round((rows * 1000) / readMs) });

  const consumer = new RealtimeConsumer({
    source: { readAfter: () => [] },
    backfill: lakeBackfill(lakeRoot),
    redis,
    keyPrefix: prefix,
    now: () => now,
  });
  for (const step of ['first', 'again']) {
    const summary = await consumer.catchUp();
    const perSecond = Math.round((summary.rows_in * 1000) / summary.duration_ms);
    print(step, { ...summary, per_second: perSecond, load: loadavg()[0]?.toFixed(2) });
  }
} finally {
  for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 10_000 })) {
    if (keys.length > 0) await redis.unlink(...(keys as string[]));
  }
  redis.disconnect();
  rmSync(lakeRoot, { recursive: true, force: true });
}
