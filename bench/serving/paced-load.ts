import { LeanHttpClient } from './lean-http-client.js';
import type { BenchRequest, LoadFigures, SlowRequests } from './load.js';

/** How often the pacer wakes up to send the requests that have come due. */
const tickMs = 1;

/** A request's extra header lines, built once per pooled request. */
const headerLines = new WeakMap<BenchRequest, string>();
function headerLinesOf(request: BenchRequest): string {
  let lines = headerLines.get(request);
  if (lines === undefined) {
    lines = request.authorization ? `authorization: ${request.authorization}\r\n` : '';
    headerLines.set(request, lines);
  }

  return lines;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;

  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Slow requests of a run (latencies in due order) and the bursts they form. */
export function slowRequests(
  latencies: ArrayLike<number>,
  intervalMs: number,
  thresholdMs: number,
): SlowRequests {
  let count = 0;
  let bursts = 0;
  let longestBurstMs = 0;
  let burstStart = -1;
  let lastSlow = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < latencies.length; i++) {
    if ((latencies[i] as number) <= thresholdMs) continue;
    count++;
    if ((i - lastSlow) * intervalMs >= thresholdMs) {
      bursts++;
      burstStart = i;
    }
    lastSlow = i;
    longestBurstMs = Math.max(longestBurstMs, (i - burstStart) * intervalMs);
  }

  return { thresholdMs, count, bursts, longestBurstMs };
}

/**
 * An open-loop load at a fixed rate: request `i` is due at `start + i / rate`
 * and is sent at that moment whatever the earlier requests are doing, and its
 * latency is counted from when it was due, not from when it left (so a client
 * or server that falls behind shows it instead of hiding it: no coordinated
 * omission). Requests beyond the open connections wait in the pool's queue,
 * and that wait counts too.
 *
 * This exists because autocannon's `overallRate` is a per-second quota: each
 * connection sends flat out until its share of the second is used, then
 * pauses until the next second, so its "fixed rate" latency is a burst at
 * full speed (ADR 0090). Requests go through `LeanHttpClient`, which reads
 * answers into one buffer per connection, so the generator's own garbage
 * collection stays out of the latencies.
 *
 * @example
 * const figures = await runPacedLoad(url, pool, { seconds: 10, rate: 3000, connections: 64 });
 */
export async function runPacedLoad(
  url: string,
  pool: BenchRequest[],
  options: {
    seconds: number;
    rate: number;
    connections: number;
    warmupSeconds?: number;
    /** The server's CPU time so far (ms), read when measuring starts and ends. */
    serverCpuMs?: () => number;
    /** Requests slower than this are counted and grouped into bursts (default 10 ms). */
    slowMs?: number;
  },
): Promise<LoadFigures> {
  const client = new LeanHttpClient(url, options.connections);
  // The first second opens the connections and is not recorded: the figures are steady state.
  const warmup = Math.round(options.rate * (options.warmupSeconds ?? 1));
  const total = warmup + Math.round(options.rate * options.seconds);
  const latencies = new Float64Array(total);
  // How late the pacer itself sent each request: the client's share of the latency.
  const sendLags = new Float64Array(total);
  const statuses: Record<string, number> = {};
  const intervalMs = 1000 / options.rate;
  let sent = 0;
  let answered = 0;
  let errors = 0;

  let measuredFrom = 0;
  let lastAnsweredAt = 0;
  let cpuAtStart = 0;
  const finished = new Promise<void>((resolve) => {
    const start = performance.now();
    measuredFrom = start + warmup * intervalMs;
    const send = (index: number) => {
      const due = start + index * intervalMs;
      sendLags[index] = performance.now() - due;
      const chosen = pool[Math.floor(Math.random() * pool.length)] as BenchRequest;
      client.get(chosen.path, headerLinesOf(chosen), (status) => {
        lastAnsweredAt = performance.now();
        latencies[index] = lastAnsweredAt - due;
        if (index >= warmup) {
          if (status === 0) errors++;
          else statuses[status] = (statuses[status] ?? 0) + 1;
        }
        if (++answered === total) resolve();
      });
    };
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
      while (sent < due) {
        if (sent === warmup) cpuAtStart = options.serverCpuMs?.() ?? 0;
        send(sent++);
      }
      if (sent === total) clearInterval(timer);
    }, tickMs);
  });
  await finished;
  const cpuMs = (options.serverCpuMs?.() ?? 0) - cpuAtStart;
  client.close();
  const slow = slowRequests(latencies.subarray(warmup), intervalMs, options.slowMs ?? 10);
  const recorded = latencies.subarray(warmup).sort();
  const lags = sendLags.subarray(warmup).sort();
  const measured = total - warmup;
  const elapsedSeconds = (lastAnsweredAt - measuredFrom) / 1000;
  const ok = Object.entries(statuses).reduce(
    (sum, [code, n]) => sum + (Number(code) < 300 ? n : 0),
    0,
  );

  return {
    requests: measured,
    rps: Math.round(measured / elapsedSeconds),
    p50: percentile(recorded, 50),
    p95: percentile(recorded, 95),
    p99: percentile(recorded, 99),
    non2xx: measured - ok - errors,
    errors,
    statuses,
    sendLagP99: percentile(lags, 99),
    slow,
    ...(options.serverCpuMs ? { cpuUsPerRequest: (cpuMs * 1000) / measured } : {}),
  };
}
