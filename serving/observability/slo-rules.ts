/**
 * The read API's service level objectives and the Prometheus rules that page
 * on them. Alerts fire on the rate the error budget burns, over a long and a
 * short window together (the long one proves it matters, the short one that
 * it is still happening), so a brief blip does not page and a slow leak still
 * opens a ticket. `infra/prometheus/read-api-slo.rules.json` is this module
 * rendered (Prometheus reads JSON rule files, JSON being YAML); a test keeps
 * the two equal and checks every metric and bucket the rules name exists.
 */

/** The objectives, over a rolling 30 days (routes as Fastify labels them; `::` is `:`). */
export const readApiSlo = {
  routes: ['/v1/students/:studentId/session', '/v1/students/session::batch'],
  /** Share of reads that must not answer 5xx (503 shedding included). */
  availability: 0.999,
  /** Share of reads that must finish within `latency_seconds` (the brief's p99). */
  latency_target: 0.99,
  latency_seconds: 0.25,
  window_days: 30,
} as const;

/** Page: 2% of the 30-day budget in 1 h; 5% in 6 h. Ticket: 10% in 3 days. */
export const burnRateAlerts = [
  { severity: 'page', long: '1h', short: '5m', burn_rate: 14.4 },
  { severity: 'page', long: '6h', short: '30m', burn_rate: 6 },
  { severity: 'ticket', long: '3d', short: '6h', burn_rate: 1 },
] as const;

const windows = [...new Set(burnRateAlerts.flatMap((a) => [a.long, a.short]))];
const routeMatcher = `route=~"${readApiSlo.routes.join('|')}"`;

interface RecordingRule {
  record: string;
  expr: string;
}
interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
export interface RuleGroup {
  name: string;
  rules: Array<RecordingRule | AlertRule>;
}

/** Error ratio (5xx / all) of the read routes over one window. */
function errorRatio(window: string): RecordingRule {
  const all = `sum(rate(luca_http_requests_total{${routeMatcher}}[${window}]))`;
  const failed = `sum(rate(luca_http_requests_total{${routeMatcher},status=~"5.."}[${window}]))`;

  return { record: `luca:read_errors:ratio_rate${window}`, expr: `${failed} / ${all}` };
}

/** Share of reads slower than the latency objective over one window. */
function slowRatio(window: string): RecordingRule {
  const selector = `luca_http_request_duration_seconds_bucket{${routeMatcher}`;
  const fast = `sum(rate(${selector},le="${readApiSlo.latency_seconds}"}[${window}]))`;
  const all = `sum(rate(${selector},le="+Inf"}[${window}]))`;

  return { record: `luca:read_slow:ratio_rate${window}`, expr: `1 - ${fast} / ${all}` };
}

function alertsFor(kind: 'errors' | 'slow', target: number): AlertRule[] {
  const budget = 1 - target;

  return burnRateAlerts.map(({ severity, long, short, burn_rate }) => {
    const threshold = Number((burn_rate * budget).toPrecision(6));

    const what = kind === 'errors' ? 'errors' : 'slow reads';

    return {
      alert: kind === 'errors' ? 'ReadApiErrorBudgetBurn' : 'ReadApiLatencyBudgetBurn',
      expr:
        `luca:read_${kind}:ratio_rate${long} > ${threshold}` +
        ` and luca:read_${kind}:ratio_rate${short} > ${threshold}`,
      for: severity === 'page' ? '2m' : '1h',
      labels: { severity, slo: kind === 'errors' ? 'availability' : 'latency' },
      annotations: {
        summary: `Read API ${what} burn the 30-day budget ${burn_rate}x (${long} and ${short})`,
        runbook: 'docs/runbooks/read-api-slo.md',
      },
    };
  });
}

/** The rule groups, ready to serialise for Prometheus. */
export function sloRuleGroups(): RuleGroup[] {
  return [
    {
      name: 'luca-read-api-slo-recording',
      rules: windows.flatMap((w) => [errorRatio(w), slowRatio(w)]),
    },
    {
      name: 'luca-read-api-slo-alerts',
      rules: [
        ...alertsFor('errors', readApiSlo.availability),
        ...alertsFor('slow', readApiSlo.latency_target),
      ],
    },
  ];
}
