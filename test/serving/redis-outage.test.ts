import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  publishFixture,
  type SessionFixture,
  sessionFixture,
  students,
  waitReady,
} from './session-fixture.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const { Redis } = await import('ioredis');
  for (let attempt = 0; attempt < 100; attempt++) {
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => undefined);
    const up = await probe.connect().then(
      () => true,
      () => false,
    );
    probe.disconnect();
    if (up) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`private redis-server did not start on ${port}`);
}

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Sends reads one after another and returns status and milliseconds of each. */
async function timedReads(fx: SessionFixture, token: string, count: number) {
  const results: { status: number; ms: number; retryAfter: unknown; code: unknown }[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await fx.app.inject({
      url: `/v1/students/${students.own_group}/session`,
      headers: { authorization: `Bearer ${token}` },
    });
    const ms = performance.now() - started;
    if (res.statusCode === 503) served503 += 1;
    results.push({
      status: res.statusCode,
      ms,
      retryAfter: res.headers['retry-after'],
      code: res.json().code,
    });
  }

  return results;
}

let served503 = 0;

/** Reads until one answers 200 (the breaker's open window passes); returns how long it took. */
async function untilRecovered(fx: SessionFixture, token: string): Promise<number> {
  const started = performance.now();
  for (let attempt = 0; attempt < 200; attempt++) {
    const [read] = await timedReads(fx, token, 1);
    if (read?.status === 200) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('reads did not recover within 200 attempts');
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

describe('reads during a Redis outage (private redis-server)', () => {
  let port: number;
  let redis: ChildProcess;
  let fx: SessionFixture;
  let token: string;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    fx = await sessionFixture({ redisUrl: `redis://127.0.0.1:${port}`, commandTimeoutMs: 75 });
    token = await fx.token('teacher');
  });
  afterAll(async () => {
    await fx.close();
    redis.kill('SIGKILL');
  });

  it('answers 503 with Retry-After within 100 ms when Redis is killed, then recovers', async () => {
    // Prepare
    expect((await timedReads(fx, token, 1))[0]?.status).toBe(200);
    const exited = stopped(redis);
    redis.kill('SIGKILL');
    await exited;

    // Act
    const during = await timedReads(fx, token, 20);
    const notReady = await fx.app.inject({ url: '/readyz' });
    redis = await startRedis(port);
    await waitReady(fx.redis);
    await waitReady(fx.admin);
    await publishFixture(fx.admin, fx.prefix, fx.pseudonymizer);
    const after = await timedReads(fx, token, 3);

    // Assess
    expect(
      during.every((r) => r.status === 503 && r.code === 'SESSION_ERR_STORE_UNAVAILABLE'),
    ).toBe(true);
    expect(during.every((r) => r.retryAfter === '1')).toBe(true);
    expect(median(during.map((r) => r.ms))).toBeLessThan(100);
    expect(notReady.statusCode).toBe(503);
    expect(after.map((r) => r.status)).toEqual([200, 200, 200]);
    console.log('outage 503 latency ms', {
      median: median(during.map((r) => r.ms)),
      max: Math.max(...during.map((r) => r.ms)),
    });
  });

  it('answers 503 within 100 ms when Redis hangs, then recovers when it resumes', async () => {
    // Prepare
    expect((await timedReads(fx, token, 1))[0]?.status).toBe(200);
    redis.kill('SIGSTOP');

    // Act
    const during = await timedReads(fx, token, 20);
    redis.kill('SIGCONT');
    const recoveryMs = await untilRecovered(fx, token);
    const after = await timedReads(fx, token, 3);

    // Assess
    expect(during.every((r) => r.status === 503)).toBe(true);
    expect(median(during.map((r) => r.ms))).toBeLessThan(100);
    expect(after.map((r) => r.status)).toEqual([200, 200, 200]);
    console.log('hang recovered after ms', recoveryMs);
    console.log('hang 503 latency ms', {
      median: median(during.map((r) => r.ms)),
      max: Math.max(...during.map((r) => r.ms)),
    });
  });

  it('audits every refused read of the outage once', async () => {
    // Assess
    const errors = (await fx.auditRecords()).filter((r) => r.http_status === 503);
    expect(errors).toHaveLength(served503);
    expect(served503).toBeGreaterThanOrEqual(40);
    expect(
      errors.every(
        (r) => r.outcome === 'error' && r.error_code === 'SESSION_ERR_STORE_UNAVAILABLE',
      ),
    ).toBe(true);
  });
});
