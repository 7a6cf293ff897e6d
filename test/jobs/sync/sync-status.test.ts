import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/index.js';
import { readCutoff } from '../../../jobs/cutoff/index.js';
import { runSync, syncStatus } from '../../../jobs/sync/index.js';
import { fastTuning, type SyncScenario, syncScenario } from './sync-harness.js';

let scenario: SyncScenario;

afterEach(async () => {
  await scenario?.close();
});

describe('syncStatus', () => {
  it('counts dead letters as decided and reports a finished cutoff without warning', async () => {
    // Prepare: every batch dead-lettered after one failure
    scenario = await syncScenario([{ cct: '09DPR0001A', students: 200 }], {
      faults: { error5xxRate: 1 },
    });
    await scenario.run({ maxFailures: 1, breakerThreshold: 100 });
    const id = scenario.cutoffIds[0] as string;
    const created = Date.parse(scenario.manifests[0]?.created_at as string);

    // Act
    const early = await syncStatus(scenario.ledger, id, created + 60_000);
    const late = await syncStatus(scenario.ledger, id, created + 49 * 3_600_000);

    // Assess
    expect(early.records).toMatchObject({ total: 400, dead_lettered: 400, pending: 0 });
    expect(early.state).toBe('synced');
    expect(late.warning).toBeNull();
  });

  it('projects the finish from the rate and flags a projection past the deadline', async () => {
    // Prepare: a cutoff that has not finished, seen long after it was frozen
    scenario = await syncScenario([{ cct: '09DPR0001A', students: 100 }]);
    await scenario.ledger.registerCutoff({
      ...(await registration(scenario)),
      record_count: 1_000_000,
    });
    await scenario.run();
    const id = scenario.cutoffIds[0] as string;
    const created = Date.parse(scenario.manifests[0]?.created_at as string);

    // Act
    const status = await syncStatus(scenario.ledger, id, created + 47 * 3_600_000);

    // Assess
    expect(status.records.pending).toBe(1_000_000 - 200);
    expect(status.is_on_track).toBe(false);
    expect(status.warning).toMatch(/past the deadline|deadline/);
  });
});

async function registration(s: SyncScenario) {
  const manifest = s.manifests[0];
  if (!manifest) throw new Error('no manifest');

  return {
    cutoff_id: manifest.cutoff_id,
    tenant_id: manifest.tenant_id,
    cct: manifest.cct,
    period_id: manifest.period_id,
    version: manifest.version,
    created_at: manifest.created_at,
    deadline_at: manifest.deadline_at,
    record_count: manifest.totals.records,
    unsendable_count: 0,
  };
}

describe('runSync logs', () => {
  it('never logs a CURP or a token', async () => {
    // Prepare
    scenario = await syncScenario([{ cct: '09DPR0001A', students: 30 }], {
      faults: { error5xxRate: 0.3, burst429Rate: 0.2 },
    });
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });

    // Act
    await runSync({
      lakeRoot: scenario.paths.lake,
      cutoffIds: scenario.cutoffIds,
      registryUrl: scenario.govsim.url,
      credentials: scenario.credentials,
      ledger: scenario.ledger,
      tuning: fastTuning,
      logger: createLogger({ level: 'debug', destination }),
    });

    // Assess
    const text = lines.join('');
    const curps = [
      ...readCutoff(scenario.paths.lake, scenario.cutoffIds[0] as string).records.values(),
    ]
      .flat()
      .map((r) => r.curp);
    expect(lines.length).toBeGreaterThan(2);
    for (const curp of curps) expect(text).not.toContain(curp);
    expect(text).not.toContain(scenario.credentials['09DPR0001A']?.client_secret as string);
    expect(text).not.toMatch(/Bearer /);
  });
});
