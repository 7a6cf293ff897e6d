import { Pool } from 'undici';

export interface LoadResult {
  readonly requests: number;
  readonly acknowledged: number;
  readonly throttled: number;
  /** Problem codes of the throttled answers, with counts. */
  readonly throttledCodes: Record<string, number>;
  readonly failed: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
}

/** Percentile of a list of latencies (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * Posts pre-built batch bodies with `connections` concurrent clients. A 429 or
 * 503 waits its Retry-After and re-sends the same batch (as a real producer),
 * so every event is acknowledged in the end.
 */
export async function postBatches(
  url: string,
  token: string,
  bodies: readonly string[],
  connections: number,
): Promise<LoadResult> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const latenciesMs: number[] = [];
  let next = 0;
  let acknowledged = 0;
  let throttled = 0;
  const throttledCodes: Record<string, number> = {};
  let failed = 0;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const started = performance.now();

  async function worker(): Promise<void> {
    while (next < bodies.length) {
      const body = bodies[next++] as string;
      for (;;) {
        const sent = performance.now();
        const response = await pool.request({ method: 'POST', path: '/v1/events', headers, body });
        const text = await response.body.text();
        latenciesMs.push(performance.now() - sent);
        if (response.statusCode === 202) {
          acknowledged += (JSON.parse(text) as { accepted: number }).accepted;
          break;
        }
        if (response.statusCode !== 429 && response.statusCode !== 503) {
          failed += 1;
          break;
        }
        throttled += 1;
        const code = (JSON.parse(text) as { code?: string }).code ?? String(response.statusCode);
        throttledCodes[code] = (throttledCodes[code] ?? 0) + 1;
        await new Promise((resolve) =>
          setTimeout(resolve, Number(response.headers['retry-after'] ?? 1) * 1000),
        );
      }
    }
  }

  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();

  return {
    requests: latenciesMs.length,
    acknowledged,
    throttled,
    throttledCodes,
    failed,
    seconds,
    latenciesMs,
  };
}
