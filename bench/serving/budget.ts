import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createTokenVerifier, mintToken, Pseudonymizer, type TokenKeys } from '../../core/index.js';
import { defaultFreshnessPolicy } from '../../serving/session/index.js';
import { sessionJson } from '../../serving/session/session-json.js';

function meanMicros(iterations: number, step: (i: number) => unknown): number {
  const started = performance.now();
  for (let i = 0; i < iterations; i++) step(i);

  return ((performance.now() - started) * 1000) / iterations;
}

async function meanMicrosAsync(iterations: number, step: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await step();

  return ((performance.now() - started) * 1000) / iterations;
}

/** Per-step costs measured in this process (µs): the CPU steps of one read. */
export async function measureCpuSteps(keys: TokenKeys, sampleSnapshot: string) {
  const verify = createTokenVerifier(keys);
  const token = `Bearer ${await mintToken(keys, { tenantId: 't-x', role: 'teacher', subject: 'tc-1' })}`;
  const pseudonymizer = new Pseudonymizer(Buffer.alloc(32, 7));
  await verify(token);
  // The store hands the route the document's bytes (ADR 0095).
  const stored = Buffer.from(sampleSnapshot);

  return {
    verifyTokenUs: await meanMicrosAsync(2_000, () => verify(token)),
    pseudonymUs: meanMicros(20_000, (i) => pseudonymizer.pseudonym('t-x', `s-${i}`)),
    // What a single read does with the document: splice it with the signals (ADR 0072, 0095).
    spliceUs: meanMicros(20_000, () =>
      sessionJson('s-1', stored, ['today_events', '3'], defaultFreshnessPolicy, Date.now()),
    ),
  };
}

/** Mean of a Prometheus histogram (seconds → ms) from `/metrics` text. */
export function histogramMeanMs(metrics: string, name: string, labelFilter: string): number {
  const line = (suffix: string) =>
    metrics.split('\n').find((l) => l.startsWith(`${name}_${suffix}`) && l.includes(labelFilter));
  const sum = Number(line('sum')?.split(' ').at(-1));
  const count = Number(line('count')?.split(' ').at(-1));

  return count > 0 ? (sum / count) * 1000 : Number.NaN;
}

/** The disk's commit latency right now: 100 one-row WAL commits with fsync (ms). */
export function measureFsync(dir: string): { p50: number; p99: number } {
  const db = new Database(join(dir, 'fsync-probe.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table probe (n integer)');
  const insert = db.prepare('insert into probe values (?)');
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const started = performance.now();
    insert.run(i);
    times.push(performance.now() - started);
  }
  db.close();
  times.sort((a, b) => a - b);

  return { p50: times[50] ?? 0, p99: times[99] ?? 0 };
}
