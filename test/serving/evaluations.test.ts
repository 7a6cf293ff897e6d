import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLogger,
  createTokenVerifier,
  mintToken,
  type Role,
  TokenKeys,
} from '../../core/index.js';
import { SqliteGradesStore } from '../../jobs/grades/store/index.js';
import { buildApp } from '../../serving/index.js';
import { rosterRecords, tenantA, tenantB, testClock } from '../jobs/grades/store/factories.js';

let app: FastifyInstance;
let store: SqliteGradesStore;
let keys: TokenKeys;
let clock: ReturnType<typeof testClock>;

async function bearer(role: Role, subject: string, tenantId = tenantA) {
  return { authorization: `Bearer ${await mintToken(keys, { tenantId, role, subject })}` };
}

const body = (overrides: object = {}) => ({
  evaluation_id: 'ev-h1',
  student_id: 'stu-1',
  subject_code: 'MAT',
  period_id: '2026-2027/P1',
  category: 'exam',
  score: 8,
  max_score: 10,
  ...overrides,
});

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'luca-eval-routes-'));
  keys = await TokenKeys.load(join(dir, 'secrets'));
  clock = testClock();
  store = SqliteGradesStore.open({ file: join(dir, 'grades.db'), clock });
  await store.putRoster(rosterRecords());
  app = await buildApp({
    logger: createLogger({ level: 'silent' }),
    verifyToken: createTokenVerifier(keys),
    gradesStore: store,
  });
});

afterEach(async () => {
  await app.close();
  await store.close();
});

async function record(overrides: object = {}, headers: object = {}) {
  return app.inject({
    method: 'POST',
    url: '/v1/evaluations',
    headers: { ...(await bearer('teacher', 'tch-1')), ...headers },
    payload: body(overrides),
  });
}

describe('POST /v1/evaluations', () => {
  it('records for a teacher of the group and answers a retry the same way', async () => {
    const headers = { 'idempotency-key': 'retry-key-0001' };

    const first = await record({}, headers);
    const retry = await record({}, headers);
    const misuse = await record({ score: 2 }, headers);

    expect(first.statusCode).toBe(201);
    expect(first.headers.etag).toBe('"1"');
    expect(first.json().evaluation).toMatchObject({
      evaluation_id: 'ev-h1',
      version: 1,
      tenant_id: tenantA,
    });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(misuse.statusCode).toBe(409);
    expect(misuse.headers['content-type']).toContain('application/problem+json');
    expect(misuse.json().code).toBe('EVAL_ERR_IDEMPOTENCY_CONFLICT');
  });

  it('answers 404 for a student of another tenant and 403 outside the teacher groups', async () => {
    const otherTenant = await record({ student_id: 'stu-9' });
    const otherGroup = await record({ student_id: 'stu-2' });
    const asStudent = await app.inject({
      method: 'POST',
      url: '/v1/evaluations',
      headers: await bearer('student', 'stu-1'),
      payload: body(),
    });
    const namedTenant = await record({ tenant_id: tenantB });

    expect([otherTenant.statusCode, otherTenant.json().code]).toEqual([
      404,
      'EVAL_ERR_STUDENT_NOT_FOUND',
    ]);
    expect([otherGroup.statusCode, otherGroup.json().code]).toEqual([
      403,
      'EVAL_ERR_FORBIDDEN_GROUP',
    ]);
    expect([asStudent.statusCode, asStudent.json().code]).toEqual([403, 'AUTH_ERR_FORBIDDEN']);
    expect([namedTenant.statusCode, namedTenant.json().code]).toEqual([
      403,
      'TENANCY_ERR_CROSS_TENANT',
    ]);
  });

  it('lets a school admin record for any group and rejects an invalid body with 400', async () => {
    const admin = await bearer('school_admin', 'adm-1');

    const ok = await app.inject({
      method: 'POST',
      url: '/v1/evaluations',
      headers: admin,
      payload: body({ student_id: 'stu-2' }),
    });
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/evaluations',
      headers: admin,
      payload: body({ score: 11 }),
    });

    expect(ok.statusCode).toBe(201);
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'EVAL_ERR_INVALID_INPUT']);
  });
});

describe('POST /v1/evaluations/:id/corrections', () => {
  it('applies a correction at the expected version and refuses a stale If-Match with 412', async () => {
    await record();
    const headers = await bearer('teacher', 'tch-1');
    const correction = { score: 9, reason_code: 'regrade' };

    const ok = await app.inject({
      method: 'POST',
      url: '/v1/evaluations/ev-h1/corrections',
      headers: { ...headers, 'if-match': '"1"' },
      payload: correction,
    });
    const stale = await app.inject({
      method: 'POST',
      url: '/v1/evaluations/ev-h1/corrections',
      headers: { ...headers, 'if-match': '"1"' },
      payload: correction,
    });
    const staleField = await app.inject({
      method: 'POST',
      url: '/v1/evaluations/ev-h1/corrections',
      headers,
      payload: { ...correction, version: 1 },
    });

    expect([ok.statusCode, ok.headers.etag]).toEqual([200, '"2"']);
    expect(ok.json().evaluation).toMatchObject({ score: 9, correction_seq: 1 });
    expect([stale.statusCode, stale.json().code, stale.json().current_version]).toEqual([
      412,
      'EVAL_ERR_VERSION_MISMATCH',
      2,
    ]);
    expect(staleField.statusCode).toBe(412);
  });

  it('after the close refuses a correction without reason and audits one with a reason', async () => {
    await record();
    clock.todayValue = '2026-12-07';
    const headers = await bearer('teacher', 'tch-1');
    const url = '/v1/evaluations/ev-h1/corrections';

    const bare = await app.inject({
      method: 'POST',
      url,
      headers,
      payload: { score: 9, reason_code: 'regrade' },
    });
    const reasoned = await app.inject({
      method: 'POST',
      url,
      headers,
      payload: { score: 9, reason_code: 'regrade', reason: 'examen recalificado' },
    });
    const voiding = await app.inject({ method: 'DELETE', url: '/v1/evaluations/ev-h1', headers });

    expect([bare.statusCode, bare.json().code]).toEqual([422, 'EVAL_ERR_REASON_REQUIRED']);
    expect(reasoned.statusCode).toBe(200);
    expect(reasoned.json().evaluation.is_after_close).toBe(true);
    expect([voiding.statusCode, voiding.json().code]).toEqual([409, 'EVAL_ERR_PERIOD_CLOSED']);
    const audit = store.outbox.pending(10).find((row) => row.event_type === 'audit.recorded');
    expect(audit?.event.payload).toMatchObject({
      action: 'evaluation.corrected_after_close',
      resource_id: 'ev-h1',
    });
    expect(audit?.event.actor).toEqual({ id: 'tch-1', role: 'teacher' });
  });
});

describe('DELETE and GET /v1/evaluations/:id', () => {
  it('voids with a reason code and shows the history with its reasons', async () => {
    await record();
    const headers = await bearer('teacher', 'tch-1');

    const voided = await app.inject({
      method: 'DELETE',
      url: '/v1/evaluations/ev-h1?reason_code=duplicate&reason=capturada%20dos%20veces',
      headers,
    });
    const shown = await app.inject({ method: 'GET', url: '/v1/evaluations/ev-h1', headers });
    const missing = await app.inject({ method: 'GET', url: '/v1/evaluations/ev-none', headers });

    expect(voided.json().evaluation).toMatchObject({
      status: 'voided',
      last_reason_code: 'duplicate',
    });
    expect(
      shown
        .json()
        .evaluation.history.map((h: { change: string; reason: string | null }) => [
          h.change,
          h.reason,
        ]),
    ).toEqual([
      ['recorded', null],
      ['voided', 'capturada dos veces'],
    ]);
    expect(missing.statusCode).toBe(404);
  });
});
