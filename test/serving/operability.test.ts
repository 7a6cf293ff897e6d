import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAclFromRoster } from '../../serving/rbac/index.js';
import { tenantKeys } from '../../serving/session/index.js';
import {
  roster,
  type SessionFixture,
  sessionFixture,
  students,
  tenantA,
} from './session-fixture.js';

describe('read API operability', () => {
  let fx: SessionFixture;
  beforeAll(async () => {
    fx = await sessionFixture();
    const token = await fx.token('teacher');
    await fx.app.inject({
      url: `/v1/students/${students.own_group}/session`,
      headers: { authorization: `Bearer ${token}` },
    });
  });
  afterAll(async () => {
    await fx.close();
  });

  it('serves Prometheus metrics without a token: route and Redis latency, errors, saturation', async () => {
    // Act
    const res = await fx.app.inject({ url: '/metrics' });

    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      'luca_http_request_duration_seconds_bucket{le="0.005",route="/v1/students/:studentId/session"',
    );
    expect(res.body).toMatch(
      /luca_redis_command_duration_seconds_count\{command="read_session",outcome="ok"\} [1-9]/,
    );
    expect(res.body).toContain('luca_http_in_flight_requests');
    expect(res.body).toContain('nodejs_eventloop_lag_seconds');
    expect(res.body).toMatch(/luca_audit_group_rows_count [1-9]/);
  });

  it('counts errors by their code', async () => {
    // Act
    await fx.app.inject({ url: `/v1/students/${students.own_group}/session` });
    const res = await fx.app.inject({ url: '/metrics' });

    // Assess
    expect(res.body).toContain(
      'luca_http_errors_total{route="/v1/students/:studentId/session",code="AUTH_ERR_MISSING_TOKEN"} 1',
    );
  });

  it('generates the OpenAPI document from the route schemas at /docs/json', async () => {
    // Act
    const res = await fx.app.inject({ url: '/docs/json' });
    const ui = await fx.app.inject({ url: '/docs' });

    // Assess
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths;
    const get = paths['/v1/students/{studentId}/session'].get;
    expect(get.parameters[0].schema.pattern).toBe('^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$');
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(['200', '404', '503']));
    expect(paths['/v1/students/session:batch'].post.requestBody).toBeDefined();
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('routes the batch by its literal name only', async () => {
    // Prepare
    const token = await fx.token('school_admin');

    // Act
    const res = await fx.app.inject({
      method: 'POST',
      url: '/v1/students/sessionXbatch',
      headers: { authorization: `Bearer ${token}` },
      payload: { student_ids: ['s-grp'] },
    });

    // Assess
    expect(res.statusCode).toBe(404);
  });

  it('reports ready when Redis answers and the audit log writes', async () => {
    // Act
    const res = await fx.app.inject({ url: '/readyz' });

    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { redis: 'ok', audit: 'ok' } });
  });
});

describe('loadAclFromRoster', () => {
  let fx: SessionFixture;
  beforeAll(async () => {
    fx = await sessionFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it('stores pseudonyms and group ids only, never names', async () => {
    // Prepare
    const keys = await fx.admin.keys(`${fx.prefix}*acl:*`);

    // Act
    const values = await Promise.all(
      keys.map(async (key) =>
        (await fx.admin.type(key)) === 'set' ? fx.admin.smembers(key) : [await fx.admin.get(key)],
      ),
    );

    // Assess
    const text = JSON.stringify({ keys, values });
    expect(keys.length).toBe(8);
    expect(text).not.toMatch(/Nombre|Docente|Tutor|u-caller|s-child/);
  });

  it('removes the access of a teacher who left the roster on the next load', async () => {
    // Prepare
    const current = roster();
    const next = { ...current, teachers: current.teachers.filter((t) => t.tenant_id !== tenantA) };
    const teacherKey = tenantKeys(fx.prefix, tenantA).teacherGroups(
      fx.pseudonymizer.pseudonym(tenantA, 'u-caller'),
    );

    // Act
    const summary = await loadAclFromRoster(fx.admin, fx.prefix, next, fx.pseudonymizer);
    const token = await fx.token('teacher');
    const res = await fx.app.inject({
      url: `/v1/students/${students.own_group}/session`,
      headers: { authorization: `Bearer ${token}` },
    });

    // Assess
    expect(summary.staleKeysRemoved).toBe(1);
    expect(await fx.admin.exists(teacherKey)).toBe(0);
    expect(res.statusCode).toBe(404);
  });
});
