import { afterEach, describe, expect, it } from 'vitest';
import { type Govsim, startGovsim } from '../../../jobs/govsim/index.js';
import { badCheckDigitCurp, validCurp } from '../sync/factories.js';
import { call, tokenFor } from './govsim-client.js';

const cct = '09DPR0001A';
const period = '2026-2027/P1';
let sim: Govsim;

function record(id: string, curp: string, grade: number, subject = 'MAT') {
  return { record_id: id, curp, grade_level: 3, subject_code: subject, grade };
}

async function started(options: Parameters<typeof startGovsim>[0] = {}) {
  sim = await startGovsim({
    credentials: { [cct]: 'secret' },
    ratePerSecond: 1000,
    burst: 1000,
    ...options,
  });
  return { sim, token: await tokenFor(sim.url, cct, 'secret') };
}

afterEach(async () => {
  await sim?.close();
});

describe('govsim submissions', () => {
  it('judges each record on its own and normalises failing grades to 5', async () => {
    // Prepare
    const { token } = await started({
      enrollment: { curps: [validCurp(1), validCurp(2), validCurp(3), validCurp(5)] },
    });
    const records = [
      record('a', validCurp(1), 8.5),
      record('b', validCurp(2), 5.4),
      record('c', badCheckDigitCurp(3), 7),
      record('d', validCurp(4), 7),
      record('e', validCurp(5), 7, 'XYZ'),
      record('f', validCurp(1), 7, 'ESP'),
      record('g', validCurp(1), 8.5),
      record('h', validCurp(3), 11),
    ];

    // Act
    const answer = await call(sim.url, 'POST', '/v1/submissions', {
      token,
      key: 'k1',
      json: { cct, period, records },
    });

    // Assess
    expect(answer.status).toBe(201);
    const byId = Object.fromEntries(
      answer.body.results.map((r: { record_id: string }) => [r.record_id, r]),
    );
    expect(byId.a).toMatchObject({ status: 'accepted', registered_grade: 8.5 });
    expect(byId.b).toMatchObject({
      status: 'corrected',
      code: 'FAILING_GRADE_NORMALISED',
      registered_grade: 5,
    });
    expect(byId.c).toMatchObject({ status: 'rejected', code: 'CURP_INVALID' });
    expect(byId.d).toMatchObject({ status: 'rejected', code: 'CURP_NOT_ENROLLED' });
    expect(byId.e).toMatchObject({ status: 'rejected', code: 'SUBJECT_UNKNOWN' });
    expect(byId.f).toMatchObject({ status: 'accepted' });
    expect(byId.g).toMatchObject({ status: 'rejected', code: 'DUPLICATE_RECORD' });
    expect(byId.h).toMatchObject({ status: 'rejected', code: 'GRADE_OUT_OF_RANGE' });
    expect(sim.stats().records_applied).toBe(3);
  });

  it('replays the same key and body without applying twice, and refuses another body', async () => {
    // Prepare
    const { token } = await started();
    const body = { cct, period, records: [record('a', validCurp(1), 9)] };
    const first = await call(sim.url, 'POST', '/v1/submissions', { token, key: 'k1', json: body });

    // Act
    const replay = await call(sim.url, 'POST', '/v1/submissions', { token, key: 'k1', json: body });
    const conflict = await call(sim.url, 'POST', '/v1/submissions', {
      token,
      key: 'k1',
      json: { ...body, records: [record('a', validCurp(1), 8)] },
    });

    // Assess
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toBe('idempotency_conflict');
    expect(sim.stats()).toMatchObject({
      replays: 1,
      conflicts: 1,
      records_applied: 1,
      submissions_applied: 1,
    });
  });

  it('refuses more than 100 records, a missing key and another school', async () => {
    // Prepare
    const { token } = await started();
    const many = Array.from({ length: 101 }, (_, i) => record(`r${i}`, validCurp(i), 8));

    // Act
    const tooMany = await call(sim.url, 'POST', '/v1/submissions', {
      token,
      key: 'k',
      json: { cct, period, records: many },
    });
    const noKey = await call(sim.url, 'POST', '/v1/submissions', {
      token,
      json: { cct, period, records: many.slice(0, 1) },
    });
    const other = await call(sim.url, 'POST', '/v1/submissions', {
      token,
      key: 'k2',
      json: { cct: '09DPR0002B', period, records: many.slice(0, 1) },
    });

    // Assess
    expect(tooMany.status).toBe(413);
    expect(noKey.status).toBe(400);
    expect(other.status).toBe(403);
  });

  it('returns a processed submission by id', async () => {
    // Prepare
    const { token } = await started();
    const posted = await call(sim.url, 'POST', '/v1/submissions', {
      token,
      key: 'k1',
      json: { cct, period, records: [record('a', validCurp(1), 9)] },
    });

    // Act
    const fetched = await call(sim.url, 'GET', `/v1/submissions/${posted.body.submission_id}`, {
      token,
    });
    const missing = await call(sim.url, 'GET', '/v1/submissions/sub_nope', { token });

    // Assess
    expect(fetched.body).toEqual(posted.body);
    expect(missing.status).toBe(404);
  });
});
