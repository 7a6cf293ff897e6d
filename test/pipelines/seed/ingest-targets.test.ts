import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  coreErrors,
  createTokenVerifier,
  ensureDataPaths,
  type IncomingEnvelope,
  type Principal,
  TokenKeys,
} from '../../../core/index.js';
import { ingestErrors } from '../../../pipelines/ingest/index.js';
import { type IngestFunction, runSeed, type SeedOptions } from '../../../pipelines/seed/index.js';
import { fixedAsOf, fixedNow, tempDir } from './factories.js';

interface Received {
  status: number;
  principal: Principal;
  ids: string[];
}

/** A stand-in for the ingest API: verifies tokens, answers 429 to the first batch, then 202. */
async function startIngestServer(
  secretsDir: string,
  throttled = 1,
): Promise<{ app: FastifyInstance; url: string; received: Received[] }> {
  const verify = createTokenVerifier(await TokenKeys.load(secretsDir));
  const received: Received[] = [];
  const app = Fastify();
  app.setErrorHandler((error: { status?: number; code?: string }, _request, reply) =>
    reply.code(error.status ?? 500).send({ code: error.code }),
  );
  app.post('/v1/events', async (request, reply) => {
    const principal = await verify(request.headers.authorization);
    const events = (request.body as { events: IncomingEnvelope[] }).events;
    const status = received.length < throttled ? 429 : 202;
    received.push({ status, principal, ids: events.map((e) => e.event_id) });
    if (status === 429)
      return reply.code(429).header('retry-after', '2').send({ code: 'INGEST_ERR_BACKPRESSURE' });

    return reply.code(202).send({
      results: events.map((e, index) => ({ index, event_id: e.event_id, status: 'accepted' })),
    });
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });

  return { app, url, received };
}

function seedOptions(dataDir: string, overrides: Partial<SeedOptions>): SeedOptions {
  return {
    dataDir,
    schools: 2,
    studentsPerSchool: 20,
    days: 2,
    asOf: fixedAsOf,
    now: fixedNow,
    evaluations: false,
    ...overrides,
  };
}

let server: FastifyInstance | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('HTTP ingest target', () => {
  it('resends a batch answered 429 after Retry-After and loses nothing', async () => {
    // Prepare
    const dataDir = tempDir();
    const started = await startIngestServer(ensureDataPaths(dataDir).secrets);
    server = started.app;
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };

    // Act
    const summary = await runSeed(
      seedOptions(dataDir, {
        url: started.url,
        concurrency: 1,
        retryPolicy: { maxWaitMs: 60_000, sleep },
      }),
    );

    // Assess
    const [refused, retried] = started.received;
    expect(refused?.status).toBe(429);
    expect(retried?.ids).toEqual(refused?.ids);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    const acknowledged = started.received.filter((r) => r.status === 202).flatMap((r) => r.ids);
    expect(acknowledged.length).toBe(summary.events.total);
    expect(new Set(acknowledged).size).toBe(summary.events.total);
    expect(summary.sink).toMatchObject({
      kind: 'http',
      accepted: summary.events.total,
      rejected: 0,
      retries: 1,
    });
  });

  it('sends each tenant its own ingest token, in batches of at most 500', async () => {
    const dataDir = tempDir();
    const started = await startIngestServer(ensureDataPaths(dataDir).secrets, 0);
    server = started.app;

    const summary = await runSeed(
      seedOptions(dataDir, { url: started.url, studentsPerSchool: 60, days: 3 }),
    );

    expect(new Set(started.received.map((r) => r.principal.tenantId))).toEqual(
      new Set(summary.tenants),
    );
    expect(started.received.every((r) => r.principal.role === 'ingest')).toBe(true);
    expect(Math.max(...started.received.map((r) => r.ids.length))).toBeLessThanOrEqual(500);
    expect(started.received.length).toBeGreaterThan(summary.events.total / 500);
  });

  it('fails loudly, naming the code, when the server keeps refusing', async () => {
    const dataDir = tempDir();
    const started = await startIngestServer(ensureDataPaths(dataDir).secrets, 1_000);
    server = started.app;
    const retryPolicy = { maxWaitMs: 5_000, sleep: async () => {} };

    await expect(
      runSeed(seedOptions(dataDir, { url: started.url, retryPolicy })),
    ).rejects.toMatchObject({
      code: 'SEED_ERR_INGEST_UNAVAILABLE',
    });
  });

  it('stops with SEED_ERR_INGEST_REFUSED when the token is not accepted', async () => {
    const dataDir = tempDir();
    const started = await startIngestServer(join(tempDir(), 'other-keys'));
    server = started.app;

    await expect(runSeed(seedOptions(dataDir, { url: started.url }))).rejects.toMatchObject({
      code: 'SEED_ERR_INGEST_REFUSED',
    });
  });
});

describe('in-process ingest target', () => {
  it('retries after backpressure and counts duplicates on a second run', async () => {
    // Prepare: an ingest function that refuses once, then remembers event ids.
    const dataDir = tempDir();
    const seen = new Set<string>();
    let calls = 0;
    const ingest: IngestFunction = async (principal, events) => {
      calls += 1;
      if (calls === 1) {
        throw ingestErrors.create('INGEST_ERR_BACKPRESSURE', 'full', {
          details: { retry_after_seconds: 1 },
        });
      }
      if (principal.role !== 'ingest') throw coreErrors.create('AUTH_ERR_FORBIDDEN', 'no');
      const results = (events as IncomingEnvelope[]).map((e) => {
        const key = `${principal.tenantId}/${e.event_id}`;
        const status = seen.has(key) ? ('duplicate' as const) : ('accepted' as const);
        seen.add(key);
        return { status };
      });

      return { results };
    };
    const retryPolicy = { maxWaitMs: 60_000, sleep: async () => {} };

    // Act
    const first = await runSeed(seedOptions(dataDir, { ingest, retryPolicy }));
    const second = await runSeed(seedOptions(dataDir, { ingest, retryPolicy }));

    // Assess
    expect(first.sink).toMatchObject({
      kind: 'in-process',
      accepted: first.events.total,
      duplicates: 0,
      retries: 1,
    });
    expect(second.sink).toMatchObject({ accepted: 0, duplicates: first.events.total, retries: 0 });
    expect(seen.size).toBe(first.events.total);
  });

  it('counts per-event rejections by code', async () => {
    const dataDir = tempDir();
    const ingest: IngestFunction = async (_principal, events) => ({
      results: events.map(() => ({
        status: 'rejected' as const,
        code: 'CONTRACT_ERR_INVALID_EVENT',
      })),
    });

    const summary = await runSeed(seedOptions(dataDir, { ingest }));

    expect(summary.sink.rejected).toBe(summary.events.total);
    expect(summary.sink.rejection_codes).toEqual({
      CONTRACT_ERR_INVALID_EVENT: summary.events.total,
    });
  });
});
