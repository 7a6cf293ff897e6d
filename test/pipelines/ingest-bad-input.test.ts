import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenAudience, tokenIssuer } from '../../core/index.js';
import {
  type IngestHarness,
  ingestHarness,
  quizAnswered,
  quizBatch,
  writtenRows,
} from './ingest-fixtures.js';

interface BadRequest {
  body?: string;
  contentType?: string;
  authorization?: string | null;
}

describe('POST /v1/events with bad input', () => {
  let harness: IngestHarness;

  beforeEach(async () => {
    harness = await ingestHarness();
  });

  afterEach(async () => {
    await harness.close();
  });

  async function send(request: BadRequest) {
    const authorization =
      request.authorization === undefined
        ? `Bearer ${await harness.token('ingest')}`
        : request.authorization;
    const headers: Record<string, string> = {
      'content-type': request.contentType ?? 'application/json',
    };
    if (authorization !== null) headers.authorization = authorization;

    return harness.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers,
      payload: request.body,
    });
  }

  function expectProblem(response: Awaited<ReturnType<typeof send>>, status: number, code: string) {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status, code, trace_id: expect.any(String) });
    expect(writtenRows(harness.paths)).toEqual({ pending: 0, seen: 0 });
  }

  it('rejects malformed JSON', async () => {
    expectProblem(await send({ body: '{"events": [' }), 400, 'HTTP_ERR_MALFORMED_JSON');
  });

  it('rejects an empty body', async () => {
    expectProblem(await send({ body: '' }), 400, 'HTTP_ERR_MALFORMED_JSON');
  });

  it('rejects a body that is not JSON', async () => {
    expectProblem(
      await send({ body: 'a=b', contentType: 'text/plain' }),
      415,
      'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('rejects events that is not an array', async () => {
    const body = JSON.stringify({ events: { event_id: 'x' } });

    expectProblem(await send({ body }), 400, 'INGEST_ERR_INVALID_BATCH');
  });

  it('rejects a bare array body and an empty batch', async () => {
    expectProblem(
      await send({ body: JSON.stringify(quizBatch(1)) }),
      400,
      'INGEST_ERR_INVALID_BATCH',
    );
    expectProblem(await send({ body: '{"events":[]}' }), 400, 'INGEST_ERR_INVALID_BATCH');
  });

  it('rejects fields of the wrong type, listing the per-event code', async () => {
    const event = quizAnswered({ schema_version: '1', occurred_at: 12 });

    const response = await send({ body: JSON.stringify({ events: [event] }) });

    expectProblem(response, 400, 'INGEST_ERR_ALL_REJECTED');
    expect(response.json().results).toEqual([
      expect.objectContaining({ status: 'rejected', code: 'CONTRACT_ERR_INVALID_EVENT' }),
    ]);
  });

  it('rejects more than 500 events with 413', async () => {
    const body = JSON.stringify({ events: quizBatch(501) });

    expectProblem(await send({ body }), 413, 'INGEST_ERR_BATCH_TOO_LARGE');
  });

  it('rejects a body over 1 MiB with 413', async () => {
    const body = JSON.stringify({ events: quizBatch(2), padding: 'x'.repeat(1024 * 1024) });

    expectProblem(await send({ body }), 413, 'HTTP_ERR_BODY_TOO_LARGE');
  });

  it('rejects unknown event types and unsupported versions', async () => {
    const events = [
      quizAnswered({ event_type: 'quiz.cheated' }),
      quizAnswered({ schema_version: 9 }),
    ];

    const response = await send({ body: JSON.stringify({ events }) });

    expectProblem(response, 400, 'INGEST_ERR_ALL_REJECTED');
    expect(response.json().results.map((r: { code: string }) => r.code)).toEqual([
      'CONTRACT_ERR_UNKNOWN_EVENT_TYPE',
      'CONTRACT_ERR_UNSUPPORTED_VERSION',
    ]);
  });

  it('rejects events for another tenant', async () => {
    const body = JSON.stringify({ events: [quizAnswered({ tenant_id: 't-school-b' })] });

    const response = await send({ body });

    expectProblem(response, 400, 'INGEST_ERR_ALL_REJECTED');
    expect(response.json().results[0].code).toBe('TENANCY_ERR_CROSS_TENANT');
  });

  it('rejects a request without a token', async () => {
    const body = JSON.stringify({ events: quizBatch(1) });

    expectProblem(await send({ body, authorization: null }), 401, 'AUTH_ERR_MISSING_TOKEN');
  });

  it('rejects a token signed by a key the server does not know', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const forged = await new SignJWT({ tid: 't-school-a', role: 'ingest' })
      .setProtectedHeader({ alg: 'ES256', kid: harness.keys.activeKid })
      .setIssuer(tokenIssuer)
      .setAudience(tokenAudience)
      .setSubject('ingest-1')
      .setExpirationTime('1h')
      .sign(privateKey);
    await exportJWK(privateKey);
    const body = JSON.stringify({ events: quizBatch(1) });

    expectProblem(
      await send({ body, authorization: `Bearer ${forged}` }),
      401,
      'AUTH_ERR_INVALID_TOKEN',
    );
  });

  it('rejects an unsigned alg:none token', async () => {
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const claims = {
      tid: 't-school-a',
      role: 'ingest',
      sub: 'x',
      iss: tokenIssuer,
      aud: tokenAudience,
    };
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
    const body = JSON.stringify({ events: quizBatch(1) });

    expectProblem(
      await send({ body, authorization: `Bearer ${unsigned}` }),
      401,
      'AUTH_ERR_INVALID_TOKEN',
    );
  });

  it('rejects a role that does not produce events with 403', async () => {
    const token = await harness.token('teacher');
    const body = JSON.stringify({ events: quizBatch(1) });

    expectProblem(
      await send({ body, authorization: `Bearer ${token}` }),
      403,
      'INGEST_ERR_ROLE_NOT_ALLOWED',
    );
  });
});
