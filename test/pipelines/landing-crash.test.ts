import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DataPaths, eventFamilies, mintToken, TokenKeys } from '../../core/index.js';
import { stagingModelSql } from '../../pipelines/index.js';
import { DuckDbEngine, duckdbRawRelations } from '../../jobs/engine/index.js';
import { evaluationRecorded, quizBatch, removeDataDir, tempDataPaths } from './ingest-fixtures.js';
import {
  killHard,
  type LucaChild,
  seededRandom,
  spawnLuca,
  waitForLine,
} from './landing-processes.js';

const rounds = Number(process.env.LUCA_CRASH_ROUNDS ?? 20);
const seed = Number(process.env.LUCA_CRASH_SEED ?? 20261203);

interface Ledger {
  /** Every event id that got a 202 (accepted or duplicate). */
  acknowledged: Set<string>;
  /** Every event id ever sent. */
  sent: Set<string>;
  /** A batch whose request died with the server: re-sent first next round (retry). */
  unanswered: Record<string, unknown>[][];
}

async function postBatch(
  url: string,
  token: string,
  events: Record<string, unknown>[],
  ledger: Ledger,
) {
  for (const event of events) ledger.sent.add(event.event_id as string);
  const response = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as { results?: { event_id: string; status: string }[] };
  if (response.status !== 202) throw new Error(`unexpected ${response.status}`);
  for (const result of body.results ?? []) {
    if (result.status !== 'rejected') ledger.acknowledged.add(result.event_id);
  }
}

/** Posts batches until the server dies; the batch in flight at the kill is kept for a retry. */
async function clientLoop(url: string, token: string, ledger: Ledger, random: () => number) {
  let counter = 0;
  for (;;) {
    const batch = ledger.unanswered.shift() ?? [
      ...quizBatch(10 + Math.floor(random() * 60), counter),
      evaluationRecorded(),
    ];
    counter += 100;
    try {
      await postBatch(url, token, batch, ledger);
    } catch (err) {
      if (String(err).includes('unexpected')) throw err;
      ledger.unanswered.push(batch);
      return;
    }
  }
}

interface Server {
  readonly child: LucaChild;
  readonly url: Promise<string>;
}

/** `luca serve` with its lander draining constantly (tiny size and age thresholds). */
function startServer(paths: DataPaths): Server {
  const child = spawnLuca(paths.root, [
    'serve',
    '--port',
    '0',
    '--land-min-rows',
    '40',
    '--land-max-age-ms',
    '30',
    '--max-rows-per-drain',
    '150',
  ]);
  const url = waitForLine(child, '"listening"', 120_000).then(
    (line) => (JSON.parse(line) as { url: string }).url,
  );
  url.catch(() => {});

  return { child, url };
}

/** Kills a `luca land` child soon after its first drain (or after 2 s). */
async function killLanderMidway(lander: LucaChild, random: () => number): Promise<void> {
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline && lander.process.exitCode === null) {
    if (lander.lines.some((line) => line.includes('range landed'))) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, random() * 100));
  await killHard(lander);
}

/**
 * One round: post to the running server from two clients, SIGKILL it (and its
 * lander loop) at a random point; every fourth round a `luca land` process runs
 * too and is killed after its first drain. The next server is already starting,
 * so its start-up cost overlaps this round.
 */
async function runRound(
  current: Server,
  round: number,
  token: string,
  ledger: Ledger,
  random: () => number,
  paths: DataPaths,
): Promise<LucaChild[]> {
  const url = await current.url;
  const lander =
    round % 4 === 3 ? spawnLuca(paths.root, ['land', '--max-rows-per-drain', '50']) : undefined;
  const clients = [0, 1].map(() => clientLoop(url, token, ledger, random));
  await new Promise((resolve) => setTimeout(resolve, 150 + random() * 1000));
  await killHard(current.child);
  await Promise.all(clients);
  if (lander) await killLanderMidway(lander, random);

  return lander ? [current.child, lander] : [current.child];
}

async function stagedCounts(lakeRoot: string) {
  const engine = await DuckDbEngine.open({ threads: 1 });
  const relations = duckdbRawRelations(lakeRoot);
  try {
    const staged = new Map<string, number>();
    let rawDuplicates = 0;
    for (const family of eventFamilies) {
      const rows = await engine.query<{ event_id: string; n: number }>(
        `select event_id, count(*)::integer as n from (${stagingModelSql(family, lakeRoot)}) group by 1`,
      );
      for (const row of rows) staged.set(row.event_id, (staged.get(row.event_id) ?? 0) + row.n);
      const [raw] = await engine.query<{ dup: number }>(
        `select (count(*) - count(distinct event_id))::integer as dup from ${relations[`raw_${family}`]}`,
      );
      rawDuplicates += raw?.dup ?? 0;
    }

    return { staged, rawDuplicates };
  } finally {
    await engine.close();
  }
}

describe('ingest and landing under SIGKILL', () => {
  let paths: DataPaths;
  let token: string;

  beforeAll(async () => {
    paths = tempDataPaths('luca-crash-');
    const keys = await TokenKeys.load(paths.secrets);
    token = await mintToken(keys, { tenantId: 't-crash-a', role: 'ingest', subject: 'producer-1' });
  });

  afterAll(() => removeDataDir(paths));

  it(`keeps every acknowledged event exactly once across ${rounds} killed rounds`, async () => {
    const random = seededRandom(seed);
    const ledger: Ledger = { acknowledged: new Set(), sent: new Set(), unanswered: [] };

    const children: LucaChild[] = [];
    let next = startServer(paths);
    for (let round = 0; round < rounds; round += 1) {
      const current = next;
      next = round + 1 < rounds ? startServer(paths) : current;
      children.push(...(await runRound(current, round, token, ledger, random, paths)));
    }
    const finalLand = spawnLuca(paths.root, ['land']);
    const exitCode = await finalLand.exited;
    const { staged, rawDuplicates } = await stagedCounts(paths.lake);
    const resumedClaims = [...children, finalLand]
      .flatMap((child) => child.lines)
      .filter((line) => line.includes('"is_resumed":true')).length;

    const missing = [...ledger.acknowledged].filter((id) => !staged.has(id));
    const repeated = [...staged.values()].filter((n) => n !== 1);
    const unknown = [...staged.keys()].filter((id) => !ledger.sent.has(id));
    console.info(
      `crash test seed=${seed}: ${ledger.acknowledged.size} acknowledged, ${ledger.sent.size} sent, ` +
        `${staged.size} staged, ${rawDuplicates} raw duplicates, ` +
        `${resumedClaims} drains resumed a claim a killed lander left`,
    );
    expect(exitCode).toBe(0);
    expect(ledger.acknowledged.size).toBeGreaterThan(rounds * 10);
    expect(missing).toEqual([]);
    expect(repeated).toEqual([]);
    expect(unknown).toEqual([]);
    expect(rawDuplicates).toBe(0);
  }, 600_000);
});
