import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier, mintToken, TokenKeys } from '../../core/index.js';
import {
  buildApp,
  isTraceSampled,
  type RequestLogPolicy,
  sampledRequestLog,
} from '../../serving/index.js';
import { requestLineOf } from '../../serving/http/request-log.js';
import { capturingLogger, removeDataDir, tempDataPaths } from '../pipelines/ingest-fixtures.js';

const traceOf = (tail: string) => `${'a'.repeat(32 - tail.length)}${tail}`;
const traceparentOf = (traceId: string) => `00-${traceId}-00f067aa0ba902b7-01`;

async function loggedApp(policy: RequestLogPolicy) {
  const paths = tempDataPaths('luca-request-log-');
  const keys = await TokenKeys.load(paths.secrets);
  const { logger, lines } = capturingLogger('info');
  const app = await buildApp({
    logger,
    verifyToken: createTokenVerifier(keys),
    requestLog: policy,
  });
  app.get('/slow', async () => {
    await new Promise((resolve) => setTimeout(resolve, 30));

    return { ok: true };
  });
  app.get('/boom', async () => {
    throw new Error('unexpected');
  });
  const token = () => mintToken(keys, { tenantId: 't-log', role: 'teacher', subject: 'teacher-1' });
  const completed = () =>
    lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'request completed');

  return { app, token, lines, completed, cleanup: () => removeDataDir(paths) };
}

describe('isTraceSampled', () => {
  it('gives the same answer for the same trace id', () => {
    const traceId = randomBytes(16).toString('hex');

    const answers = Array.from({ length: 5 }, () => isTraceSampled(traceId, 0.3));

    expect(new Set(answers).size).toBe(1);
  });

  it('samples about the asked share of random trace ids', () => {
    const ids = Array.from({ length: 20_000 }, () => randomBytes(16).toString('hex'));

    const share = ids.filter((id) => isTraceSampled(id, 0.1)).length / ids.length;

    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
  });

  it('keeps every trace at 1 and none at 0', () => {
    expect(isTraceSampled(traceOf('ffffffff'), 1)).toBe(true);
    expect(isTraceSampled(traceOf('00000000'), 0)).toBe(false);
  });
});

describe('requestLineOf', () => {
  const policy: RequestLogPolicy = { successRate: 0, clientErrorRate: 0, slowMs: 250 };

  it('always logs a server error at error', () => {
    expect(requestLineOf(policy, traceOf('ffffffff'), 500, 3)).toEqual({ level: 'error', rate: 1 });
  });

  it('always logs a slow answer at warn', () => {
    expect(requestLineOf(policy, traceOf('ffffffff'), 200, 251)).toEqual({
      level: 'warn',
      rate: 1,
    });
  });

  it('samples load shedding (503) like a refusal, not like an error', () => {
    const line = requestLineOf({ ...policy, clientErrorRate: 1 }, traceOf('ffffffff'), 503, 2);

    expect(line).toEqual({ level: 'info', rate: 1 });
    expect(requestLineOf(policy, traceOf('ffffffff'), 503, 2)).toBeUndefined();
  });

  it('samples successes at the success rate', () => {
    const half = { ...policy, successRate: 0.5 };

    expect(requestLineOf(half, traceOf('00000001'), 200, 2)).toEqual({ level: 'info', rate: 0.5 });
    expect(requestLineOf(half, traceOf('fffffff0'), 200, 2)).toBeUndefined();
  });
});

describe('request log', () => {
  it('writes one line per sampled request and no incoming-request line', async () => {
    const { app, completed, lines, cleanup } = await loggedApp(sampledRequestLog);
    const sampled = traceOf('00000001');

    await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { traceparent: traceparentOf(sampled) },
    });

    expect(completed()).toEqual([
      expect.objectContaining({
        trace_id: sampled,
        route: '/healthz',
        method: 'GET',
        http_status: 200,
        sample_rate: 0.01,
        level: 'info',
      }),
    ]);
    expect(lines().some((line) => line.includes('incoming request'))).toBe(false);
    cleanup();
  });

  it('leaves out a successful request outside the sample', async () => {
    const { app, completed, cleanup } = await loggedApp(sampledRequestLog);

    await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { traceparent: traceparentOf(traceOf('fffffff0')) },
    });

    expect(completed()).toEqual([]);
    cleanup();
  });

  it('names the route pattern and the problem code, never the requested path', async () => {
    const policy = { successRate: 0, clientErrorRate: 1, slowMs: 250 };
    const { app, token, completed, lines, cleanup } = await loggedApp(policy);

    const response = await app.inject({
      method: 'GET',
      url: '/v1/nowhere/stu-4815-raw',
      headers: { authorization: `Bearer ${await token()}` },
    });

    expect(response.statusCode).toBe(404);
    expect(completed()).toEqual([
      expect.objectContaining({ route: 'unmatched', http_status: 404, code: 'HTTP_ERR_NOT_FOUND' }),
    ]);
    expect(lines().join('\n')).not.toContain('stu-4815-raw');
    cleanup();
  });

  it('logs every server error and every slow answer whatever the rates', async () => {
    const policy = { successRate: 0, clientErrorRate: 0, slowMs: 20 };
    const { app, token, completed, cleanup } = await loggedApp(policy);
    const headers = { authorization: `Bearer ${await token()}` };

    await app.inject({ method: 'GET', url: '/boom', headers });
    await app.inject({ method: 'GET', url: '/slow', headers });

    expect(completed()).toEqual([
      expect.objectContaining({ route: '/boom', http_status: 500, level: 'error', sample_rate: 1 }),
      expect.objectContaining({ route: '/slow', http_status: 200, level: 'warn', sample_rate: 1 }),
    ]);
    cleanup();
  });
});
