import { afterEach, describe, expect, it } from 'vitest';
import { type Govsim, startGovsim } from '../../../jobs/govsim/index.js';
import { validCurp } from '../sync/factories.js';
import { call, tokenFor } from './govsim-client.js';

const cct = '09DPR0001A';
const period = '2026-2027/P1';
let sim: Govsim;

afterEach(async () => {
  await sim?.close();
});

describe('govsim limits and faults', () => {
  it('refuses wrong credentials and expired tokens with the contract errors', async () => {
    // Prepare
    sim = await startGovsim({ credentials: { [cct]: 'secret' } });
    const token = await tokenFor(sim.url, cct, 'secret');

    // Act
    const wrong = await call(sim.url, 'POST', '/oauth/token', {
      form: { grant_type: 'client_credentials', client_id: cct, client_secret: 'nope' },
    });
    sim.expireAllTokens();
    const expired = await call(sim.url, 'GET', `/v1/schools/${cct}/periods/x/grades`, { token });

    // Assess
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    expect(expired.status).toBe(401);
    expect(expired.body.error).toBe('token_expired');
  });

  it('answers 429 with Retry-After past the burst of one credential', async () => {
    // Prepare
    sim = await startGovsim({ credentials: { [cct]: 'secret' }, ratePerSecond: 1, burst: 3 });
    const token = await tokenFor(sim.url, cct, 'secret');

    // Act
    const statuses: number[] = [];
    let retryAfter: unknown;
    for (let i = 0; i < 5; i += 1) {
      const answer = await call(sim.url, 'GET', `/v1/schools/${cct}/periods/x/grades`, { token });
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter = answer.headers['retry-after'];
    }

    // Assess
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('answers 503 with Retry-After during a maintenance window', async () => {
    // Prepare
    sim = await startGovsim({ credentials: { [cct]: 'secret' } });
    sim.startMaintenance(120_000);

    // Act
    const answer = await call(sim.url, 'POST', '/oauth/token', {
      form: { grant_type: 'client_credentials', client_id: cct, client_secret: 'secret' },
    });

    // Assess
    expect(answer.status).toBe(503);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(119);
    expect(sim.stats().faults.maintenance).toBe(1);
  });

  it('processes a submission and then drops the connection when told to', async () => {
    // Prepare
    sim = await startGovsim({
      credentials: { [cct]: 'secret' },
      faults: { dropAfterProcessRate: 1 },
    });
    const token = await tokenFor(sim.url, cct, 'secret');
    const json = {
      cct,
      period,
      records: [
        { record_id: 'a', curp: validCurp(1), grade_level: 3, subject_code: 'MAT', grade: 9 },
      ],
    };

    // Act
    const dropped = await call(sim.url, 'POST', '/v1/submissions', {
      token,
      key: 'k1',
      json,
    }).catch((err) => err);

    // Assess
    expect(dropped).toBeInstanceOf(Error);
    expect(sim.stats()).toMatchObject({ submissions_applied: 1, faults: { drop: 1 } });
  });

  it('lists registered grades page by page and amends one with PUT', async () => {
    // Prepare
    sim = await startGovsim({ credentials: { [cct]: 'secret' }, ratePerSecond: 1000, burst: 1000 });
    const token = await tokenFor(sim.url, cct, 'secret');
    const records = Array.from({ length: 7 }, (_, i) => ({
      record_id: `r${i}`,
      curp: validCurp(i),
      grade_level: 3,
      subject_code: 'MAT',
      grade: 8,
    }));
    await call(sim.url, 'POST', '/v1/submissions', {
      token,
      key: 'k1',
      json: { cct, period, records },
    });
    const base = `/v1/schools/${cct}/periods/${encodeURIComponent(period)}/grades`;

    // Act
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await call(
        sim.url,
        'GET',
        `${base}?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      );
      seen.push(...page.body.items.map((item: { curp: string }) => item.curp));
      cursor = page.body.next_cursor;
    } while (cursor);
    const amendPath = `${base}/${validCurp(2)}/MAT`;
    const amended = await call(sim.url, 'PUT', amendPath, {
      token,
      key: 'a1',
      json: { grade: 5.5, reason: 'school fix' },
    });
    const replayed = await call(sim.url, 'PUT', amendPath, {
      token,
      key: 'a1',
      json: { grade: 5.5, reason: 'school fix' },
    });
    const missing = await call(sim.url, 'PUT', `${base}/${validCurp(99)}/MAT`, {
      token,
      key: 'a2',
      json: { grade: 7, reason: 'x' },
    });

    // Assess
    expect(new Set(seen).size).toBe(7);
    expect(amended.body).toMatchObject({
      record_id: 'r2',
      status: 'corrected',
      registered_grade: 5,
    });
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(missing.status).toBe(404);
    expect(sim.stats().amendments_applied).toBe(1);
  });
});
