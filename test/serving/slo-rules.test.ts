import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/index.js';
import {
  burnRateAlerts,
  readApiSlo,
  sloRuleGroups,
} from '../../serving/observability/slo-rules.js';
import { type SessionFixture, sessionFixture, students } from './session-fixture.js';

const rulesFile = `${repoRoot}/infra/prometheus/read-api-slo.rules.json`;

describe('read API SLO rules', () => {
  let fx: SessionFixture;
  let exposition: string;
  beforeAll(async () => {
    fx = await sessionFixture();
    const token = await fx.token('teacher');
    await fx.app.inject({
      url: `/v1/students/${students.own_group}/session`,
      headers: { authorization: `Bearer ${token}` },
    });
    exposition = (await fx.app.inject({ url: '/metrics' })).body;
  });
  afterAll(async () => {
    await fx.close();
  });

  it('matches the committed rule file', () => {
    const committed = JSON.parse(readFileSync(rulesFile, 'utf8'));

    expect(committed).toEqual({ groups: sloRuleGroups() });
  });

  it('names routes the app serves and a histogram bucket that exists', () => {
    const le = `le="${readApiSlo.latency_seconds}"`;
    const bucket = `luca_http_request_duration_seconds_bucket{${le},route="${readApiSlo.routes[0]}"`;

    expect(exposition).toContain(bucket);
    expect(exposition).toContain(`luca_http_requests_total{route="${readApiSlo.routes[0]}"`);
    for (const url of readApiSlo.routes) {
      const method = url.endsWith(':batch') ? 'POST' : 'GET';
      expect(fx.app.hasRoute({ method, url }), url).toBe(true);
    }
  });

  it('references only recorded series and metrics the API exports', () => {
    const [recording, alerts] = sloRuleGroups();
    const recorded = new Set(recording?.rules.map((rule) => (rule as { record: string }).record));
    const alertSeries = alerts?.rules.flatMap((rule) => rule.expr.match(/luca:[\w:]+/g) ?? []);
    const rawMetrics = recording?.rules.flatMap((rule) => rule.expr.match(/luca_\w+/g) ?? []);

    expect(alertSeries?.filter((series) => !recorded.has(series))).toEqual([]);
    for (const metric of new Set(rawMetrics)) expect(exposition).toContain(`${metric}{`);
  });

  it('sets each threshold to burn rate x error budget', () => {
    const [, alerts] = sloRuleGroups();
    const thresholds = alerts?.rules.map((rule) => Number(/> ([\d.e-]+)/.exec(rule.expr)?.[1]));

    expect(thresholds).toEqual([
      ...burnRateAlerts.map((a) => Number((a.burn_rate * 0.001).toPrecision(6))),
      ...burnRateAlerts.map((a) => Number((a.burn_rate * 0.01).toPrecision(6))),
    ]);
    expect(thresholds?.[0]).toBeCloseTo(0.0144, 10);
  });
});
