import { afterEach, describe, expect, it } from 'vitest';
import { readCutoff } from '../../../jobs/cutoff/index.js';
import { fates, type SyncScenario, syncScenario } from './sync-harness.js';

const schools = [
  { cct: '09DPR0001A', students: 300, subjects: ['ESP', 'MAT', 'SOC'] },
  { cct: '09DPR0002B', students: 240, subjects: ['ESP', 'MAT'] },
  { cct: '15EPR0003C', students: 180, subjects: ['MAT', 'SOC'] },
];
let scenario: SyncScenario;

afterEach(async () => {
  await scenario?.close();
});

function allRecordIds(s: SyncScenario): string[] {
  return s.cutoffIds.flatMap((id) =>
    [...readCutoff(s.paths.lake, id).records.values()].flat().map((r) => r.record_id),
  );
}

describe('runSync under faults', () => {
  it('ends every record accepted, corrected, rejected or dead-lettered with a reason, applying nothing twice', async () => {
    // Prepare: heavy faults, a subject the registry does not know, 10% not enrolled
    scenario = await syncScenario(schools, {
      subjects: ['ESP', 'MAT'],
      enrollment: { notEnrolledShare: 0.1 },
      faults: {
        error5xxRate: 0.3,
        dropAfterProcessRate: 0.3,
        hangRate: 0.05,
        hangMs: 1_500,
        burst429Rate: 0.05,
        burst429Length: 3,
      },
    });

    // Act
    await scenario.run();

    // Assess
    const fate = await fates(scenario);
    const ids = allRecordIds(scenario);
    expect(fate.size).toBe(ids.length);
    for (const id of ids) {
      const f = fate.get(id);
      expect(f, id).toBeDefined();
      if (f?.status !== 'accepted') expect(f?.code, id).toBeTruthy();
    }
    const codes = new Set(
      [...fate.values()].filter((f) => f.status === 'rejected').map((f) => f.code),
    );
    expect(codes).toEqual(new Set(['SUBJECT_UNKNOWN', 'CURP_NOT_ENROLLED']));
    const stats = scenario.govsim.stats();
    expect(stats.faults.error5xx).toBeGreaterThan(0);
    expect(stats.faults.drop).toBeGreaterThan(0);
    expect(stats.replays).toBeGreaterThan(0);
    expect(stats.conflicts).toBe(0);
    expect(stats.duplicate_records).toBe(0);
    expect(stats.records_resubmitted).toBe(0);
    const applied = [...fate.values()].filter(
      (f) => f.status === 'accepted' || f.status === 'corrected',
    );
    expect(stats.records_applied).toBe(applied.length);
  });

  it('dead-letters a batch with the reason when it runs out of attempts', async () => {
    // Prepare
    scenario = await syncScenario([{ cct: '09DPR0001A', students: 60 }], {
      faults: { error5xxRate: 1 },
    });

    // Act
    await scenario.run({ maxFailures: 3, breakerThreshold: 100 });

    // Assess
    const dead = await scenario.ledger.deadLetters(scenario.cutoffIds[0] as string);
    expect(dead).toHaveLength(120);
    expect(new Set(dead.map((d) => d.reason_kind))).toEqual(new Set(['attempts_exhausted']));
    expect(dead.every((d) => /^http_50[0234]$/.test(d.reason_code) && d.attempts === 3)).toBe(true);
    const attempts = await scenario.ledger.attempts(scenario.cutoffIds[0] as string);
    expect(attempts).toHaveLength(6);
    expect(attempts.every((a) => a.trace_id.length === 32 && a.request_hash.length === 64)).toBe(
      true,
    );
  });

  it('survives tokens expiring in the middle of the run', async () => {
    // Prepare
    scenario = await syncScenario(schools.slice(0, 2));
    let expired = false;

    // Act
    await scenario.run({}, (done, total) => {
      if (!expired && done > total / 3) {
        scenario.govsim.expireAllTokens();
        expired = true;
      }
    });

    // Assess
    const stats = scenario.govsim.stats();
    expect(stats.token_expired).toBeGreaterThan(0);
    expect(stats.tokens_issued).toBeGreaterThan(2);
    expect((await fates(scenario)).size).toBe(allRecordIds(scenario).length);
    expect([...(await fates(scenario)).values()].some((f) => f.status.startsWith('dead'))).toBe(
      false,
    );
  });

  it('waits out a maintenance window and finishes', async () => {
    // Prepare
    scenario = await syncScenario(schools.slice(0, 1), {
      faults: { maintenance: [{ startMs: 0, durationMs: 1_500 }] },
    });

    // Act
    await scenario.run();

    // Assess
    const stats = scenario.govsim.stats();
    expect(stats.faults.maintenance).toBeGreaterThan(0);
    const fate = await fates(scenario);
    expect(fate.size).toBe(allRecordIds(scenario).length);
    expect([...fate.values()].some((f) => f.status.startsWith('dead'))).toBe(false);
    const outcomes = (await scenario.ledger.attempts(scenario.cutoffIds[0] as string)).map(
      (a) => a.error_code,
    );
    expect(outcomes.includes('maintenance') || stats.faults.maintenance > 0).toBe(true);
  });

  it('recovers the answer of a batch processed behind a dropped connection by replaying its key', async () => {
    // Prepare
    scenario = await syncScenario([{ cct: '09DPR0002B', students: 500 }], {
      faults: { dropAfterProcessRate: 0.5 },
    });

    // Act
    await scenario.run();

    // Assess
    const stats = scenario.govsim.stats();
    const attempts = await scenario.ledger.attempts(scenario.cutoffIds[0] as string);
    expect(stats.faults.drop).toBeGreaterThan(0);
    expect(attempts.filter((a) => a.is_replayed).length).toBe(stats.replays);
    expect(stats.records_resubmitted).toBe(0);
    expect(stats.records_applied).toBe(1000);
    expect((await fates(scenario)).size).toBe(1000);
  });
});
