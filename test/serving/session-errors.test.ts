import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantKeys } from '../../serving/session/index.js';
import { type SessionFixture, sessionFixture, students, tenantA } from './session-fixture.js';

describe('session route errors', () => {
  let fx: SessionFixture;
  let admin: string;
  beforeAll(async () => {
    fx = await sessionFixture();
    admin = await fx.token('school_admin');
  });
  afterAll(async () => {
    await fx.close();
  });
  const get = (url: string) =>
    fx.app.inject({ url, headers: { authorization: `Bearer ${admin}` } });

  it.each([
    ['an encoded slash', '/v1/students/s-grp%2F..%2Fs-other/session'],
    ['a dot-dot id', '/v1/students/../session'],
    ['an encoded dot-dot', '/v1/students/%2E%2E/session'],
    ['an overlong id', `/v1/students/${'a'.repeat(65)}/session`],
    ['a key separator smuggled in', '/v1/students/s-grp%7D%3Asnap/session'],
    ['a wildcard', '/v1/students/*/session'],
    ['a NUL byte', '/v1/students/s-grp%00/session'],
  ])('refuses %s', async (_name, url) => {
    // Act
    const res = await get(url);

    // Assess
    expect([400, 404]).toContain(res.statusCode);
    expect(res.headers['content-type']).toContain('application/problem+json');
    if (res.statusCode === 400) expect(res.json().code).toBe('SESSION_ERR_INVALID_STUDENT_ID');
    expect(res.body).not.toContain('engagement_7d');
  });

  it('answers 500 SESSION_ERR_SNAPSHOT_CORRUPT for a document that is not JSON', async () => {
    // Prepare
    const keys = tenantKeys(fx.prefix, tenantA);
    await fx.admin.set(
      keys.snapshot('v1', fx.pseudonymizer.pseudonym(tenantA, 's-broken')),
      '{not json',
    );

    // Act
    const res = await get('/v1/students/s-broken/session');

    // Assess
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('SESSION_ERR_SNAPSHOT_CORRUPT');
  });

  it('answers 403 SESSION_ERR_ROLE_CANNOT_READ to an analyst', async () => {
    // Prepare
    const analyst = await fx.token('analyst');

    // Act
    const res = await fx.app.inject({
      url: `/v1/students/${students.own_group}/session`,
      headers: { authorization: `Bearer ${analyst}` },
    });

    // Assess
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('SESSION_ERR_ROLE_CANNOT_READ');
  });

  it('reads the colon-bearing id literally, not as a key path', async () => {
    // Act
    const res = await get('/v1/students/s-grp:snap:current/session');

    // Assess
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('SESSION_ERR_STUDENT_NOT_FOUND');
  });

  it.each([
    ['an empty list', { student_ids: [] }],
    ['more than 50 ids', { student_ids: Array.from({ length: 51 }, (_, i) => `s-${i}`) }],
    ['duplicate ids', { student_ids: ['s-grp', 's-grp'] }],
    ['an invalid id', { student_ids: ['../x'] }],
  ])('refuses a batch with %s', async (_name, payload) => {
    // Act
    const res = await fx.app.inject({
      method: 'POST',
      url: '/v1/students/session:batch',
      headers: { authorization: `Bearer ${admin}` },
      payload,
    });

    // Assess
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('SESSION_ERR_INVALID_BATCH');
  });

  it('ignores a tenant named in the body: the tenant comes from the token', async () => {
    // Act
    const res = await fx.app.inject({
      method: 'POST',
      url: '/v1/students/session:batch',
      headers: { authorization: `Bearer ${admin}` },
      payload: { student_ids: [students.other_tenant], tenant_id: 't-beta' },
    });

    // Assess
    expect(res.json().results[0].status).toBe(404);
  });

  it('answers a batch per student without telling other tenants apart from missing ids', async () => {
    // Prepare
    const teacher = await fx.token('teacher');

    // Act
    const res = await fx.app.inject({
      method: 'POST',
      url: '/v1/students/session:batch',
      headers: { authorization: `Bearer ${teacher}` },
      payload: {
        student_ids: [
          students.own_group,
          students.other_tenant,
          students.missing,
          students.same_tenant_unrelated,
        ],
      },
    });

    // Assess
    const results = res.json().results;
    expect(results.map((r: { status: number }) => r.status)).toEqual([200, 404, 404, 404]);
    expect(results[1]).toEqual({ ...results[2], student_id: students.other_tenant });
    expect(results[3]).toEqual({ ...results[2], student_id: students.same_tenant_unrelated });
  });

  it('answers 404 with one body for missing and forbidden students', async () => {
    // Prepare
    const teacher = await fx.token('teacher');
    const read = (id: string) =>
      fx.app.inject({
        url: `/v1/students/${id}/session`,
        headers: { authorization: `Bearer ${teacher}` },
      });

    // Act
    const hidden = (await read(students.same_tenant_unrelated)).json();
    const missing = (await read(students.missing)).json();

    // Assess
    const strip = (body: Record<string, unknown>) => ({ ...body, instance: '', trace_id: '' });
    expect(strip(hidden)).toEqual(strip(missing));
  });
});

describe('per-tenant rate limit', () => {
  it('limits each tenant to its rate and says when to retry', async () => {
    // Prepare
    const fx = await sessionFixture({ tenantRequestsPerSecond: 5 });
    const admin = await fx.token('school_admin');
    const other = await fx.token('school_admin', { tenant: 't-beta' });
    const read = (token: string, id: string) =>
      fx.app.inject({
        url: `/v1/students/${id}/session`,
        headers: { authorization: `Bearer ${token}` },
      });

    // Act
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => read(admin, students.own_group)),
    );
    const otherTenant = await read(other, students.other_tenant);

    // Assess
    const limited = responses.filter((res) => res.statusCode === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]?.json().code).toBe('SESSION_ERR_RATE_LIMITED');
    expect(Number(limited[0]?.headers['retry-after'])).toBeGreaterThan(0);
    expect(otherTenant.statusCode).toBe(200);
    await fx.close();
  });
});
