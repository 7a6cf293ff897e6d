import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLayout } from '../../core/index.js';
import { defaultFreshnessPolicy, tenantKeys } from '../../serving/session/index.js';
import { mergeSession } from '../../serving/session/merge.js';
import { laidOutDoc } from '../support/snapshot-docs.js';
import { type SessionFixture, sessionFixture, students, tenantA } from './session-fixture.js';

describe('GET /v1/students/{studentId}/session', () => {
  let fx: SessionFixture;
  beforeAll(async () => {
    fx = await sessionFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it('returns the profile merged with real-time signals, grades and freshness', async () => {
    // Prepare
    const token = await fx.token('teacher');

    // Act
    const res = await fx.app.inject({
      url: `/v1/students/${students.own_group}/session`,
      headers: { authorization: `Bearer ${token}` },
    });

    // Assess
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.student_id).toBe(students.own_group);
    expect(body.snapshot_version).toBe('v1');
    expect(body.profile.features[0].name).toBe('engagement_7d');
    expect(body.profile.realtime).toMatchObject({ today_events: 12, streak_days: 5 });
    expect(body.grades.subjects[0].explanation.rule_version).toBe('r1');
    expect(body.freshness.profile.status).toBe('fresh');
    expect(body.freshness.grades.status).toBe('fresh');
    expect(body.freshness.realtime.status).toBe('fresh');
  });

  it('reads fixture documents stored as the publish job stores them (with a layout)', async () => {
    // Prepare
    const pseudonym = fx.pseudonymizer.pseudonym(tenantA, students.own_group);

    // Act
    const stored = await fx.admin.getBuffer(
      tenantKeys(fx.prefix, tenantA).snapshot('v1', pseudonym),
    );

    // Assess: the RBAC, audit and error tests on this fixture take the byte path (ADR 0095).
    expect(stored).not.toBeNull();
    expect(readLayout(stored as Buffer)).toBeDefined();
  });

  it.each([
    ['laid out (the byte path)', true],
    ['without a layout, as an older publish wrote it (the text path)', false],
  ])('serves a document %s as the same JSON the merge gives', async (_name, stamp) => {
    // Prepare
    const doc = laidOutDoc(
      {
        profile:
          '{"as_of":"2026-12-02","features":[{"feature_id":"active_days_7d","value":3}],"mastery":[]}',
        grades: '{"period_id":"2026-2027/P1","as_of":"2026-12-02T05:00:00.000Z","subjects":[]}',
      },
      { stamp },
    );
    const pseudonym = fx.pseudonymizer.pseudonym(tenantA, 's-laid');
    await fx.admin.set(tenantKeys(fx.prefix, tenantA).snapshot('v1', pseudonym), doc);
    const token = await fx.token('school_admin');

    // Act
    const res = await fx.app.inject({
      url: '/v1/students/s-laid/session',
      headers: { authorization: `Bearer ${token}` },
    });

    // Assess
    const expected = mergeSession('s-laid', doc, undefined, defaultFreshnessPolicy, Date.now());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect({ ...res.json(), freshness: null }).toEqual({ ...expected, freshness: null });
    expect(res.json().freshness.grades.as_of).toBe('2026-12-02T05:00:00.000Z');
  });

  it('marks parts older than the policy as stale', async () => {
    // Prepare
    const { publish } = await import('./session-fixture.js');
    await publish(fx.admin, fx.prefix, fx.pseudonymizer, tenantA, 's-old', '2020-01-01T00:00:00Z');
    const token = await fx.token('school_admin');

    // Act
    const res = await fx.app.inject({
      url: '/v1/students/s-old/session',
      headers: { authorization: `Bearer ${token}` },
    });

    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.json().freshness.profile.status).toBe('stale');
    expect(res.json().freshness.realtime.status).toBe('stale');
  });

  it('echoes traceparent with the caller trace id and logs it', async () => {
    // Prepare
    const token = await fx.token('student');
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

    // Act
    const res = await fx.app.inject({
      url: `/v1/students/${students.self}/session`,
      headers: {
        authorization: `Bearer ${token}`,
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
    });

    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const lines = fx.logLines.filter((line) => line.trace_id === traceId);
    expect(lines.length).toBeGreaterThan(0);
    expect((await fx.auditRecords()).at(-1)?.trace_id).toBe(traceId);
  });

  it('never logs the token or the student name', async () => {
    // Prepare
    const token = await fx.token('student');

    // Act
    await fx.app.inject({
      url: `/v1/students/${students.self}/session`,
      headers: { authorization: `Bearer ${token}` },
    });

    // Assess
    const text = JSON.stringify(fx.logLines);
    expect(text).not.toContain(token);
    expect(text).not.toContain('Nombre Redactado');
  });
});
