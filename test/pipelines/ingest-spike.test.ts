import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLogger,
  type DataPaths,
  eventFamilies,
  mintToken,
  TokenKeys,
} from '../../core/index.js';
import { DuckDbEngine } from '../../jobs/engine/index.js';
import { runLand, stagingModelSql } from '../../pipelines/index.js';
import { type LocalServer, startLocalServer } from '../../serving/index.js';
import { quizBatch, removeDataDir, tempDataPaths } from './ingest-fixtures.js';

const highWaterMark = 2000;
const sustained = { requests: 10, events: 100, intervalMs: 100 };
const burst = { waves: 3, concurrency: 40, events: 500 };

interface Outcome {
  status: number | 'timeout' | 'error';
  retryAfter: string | null;
  code?: string;
  acknowledged: string[];
}

async function stagedIds(lakeRoot: string): Promise<Set<string>> {
  const engine = await DuckDbEngine.open({ threads: 1 });
  try {
    const ids = new Set<string>();
    for (const family of eventFamilies) {
      const sql = `select event_id from (${stagingModelSql(family, lakeRoot)})`;
      for (const row of await engine.query<{ event_id: string }>(sql)) ids.add(row.event_id);
    }

    return ids;
  } finally {
    await engine.close();
  }
}

describe('ingest under a spike', () => {
  let paths: DataPaths;
  let server: LocalServer;
  let token: string;
  let counter = 0;

  beforeAll(async () => {
    paths = tempDataPaths('luca-spike-');
    token = await mintToken(await TokenKeys.load(paths.secrets), {
      tenantId: 't-spike',
      role: 'ingest',
      subject: 'producer',
    });
    server = await startLocalServer({
      paths,
      logger: createLogger({ level: 'silent' }),
      port: 0,
      highWaterMark,
      landMinRows: 500,
      landMaxAgeMs: 100,
      maxRowsPerDrain: 5000,
    });
  });

  afterAll(() => removeDataDir(paths));

  async function post(events: number): Promise<Outcome> {
    const batch = quizBatch(events, counter);
    counter += events;
    try {
      const response = await fetch(`${server.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: batch }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await response.json()) as {
        code?: string;
        results?: { event_id: string; status: string }[];
      };
      const acknowledged = (response.status === 202 ? (body.results ?? []) : [])
        .filter((result) => result.status !== 'rejected')
        .map((result) => result.event_id);

      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        code: body.code,
        acknowledged,
      };
    } catch (err) {
      const status = (err as Error).name === 'TimeoutError' ? 'timeout' : 'error';
      return { status, retryAfter: null, acknowledged: [] };
    }
  }

  it('answers a burst of 20x the sustained rate with 202, 429 or 503 and loses nothing acknowledged', async () => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < sustained.requests; i += 1) {
      outcomes.push(await post(sustained.events));
      await new Promise((resolve) => setTimeout(resolve, sustained.intervalMs));
    }
    for (let wave = 0; wave < burst.waves; wave += 1) {
      const requests = Array.from({ length: burst.concurrency }, () => post(burst.events));
      outcomes.push(...(await Promise.all(requests)));
    }
    await server.close();
    await runLand({ paths, logger: createLogger({ level: 'silent' }) });
    const staged = await stagedIds(paths.lake);

    const statuses = new Set(outcomes.map((outcome) => outcome.status));
    const throttled = outcomes.filter((o) => o.status === 429 || o.status === 503);
    const acknowledged = outcomes.flatMap((outcome) => outcome.acknowledged);
    const sustainedPerSecond = (sustained.events * 1000) / sustained.intervalMs;
    console.info(
      `spike: ${outcomes.length} requests, statuses ${[...statuses].join('/')}, ` +
        `${throttled.length} throttled (${[...new Set(throttled.map((o) => o.code))].join(', ')}), ` +
        `${acknowledged.length} acknowledged, ${staged.size} staged`,
    );
    expect(burst.concurrency * burst.events).toBeGreaterThanOrEqual(10 * sustainedPerSecond);
    expect([...statuses].every((status) => [202, 429, 503].includes(status as number))).toBe(true);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((outcome) => Number(outcome.retryAfter) >= 1)).toBe(true);
    expect(acknowledged.filter((id) => !staged.has(id))).toEqual([]);
  }, 300_000);
});
