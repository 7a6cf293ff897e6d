import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../core/index.js';
import { fates, type SyncScenario, syncScenario } from './sync-harness.js';

const schools = [
  { cct: '09DPR0001A', students: 4000, subjects: ['ESP', 'MAT'] },
  { cct: '09DPR0002B', students: 4000, subjects: ['ESP', 'MAT'] },
];
const simOptions = { seed: 7, enrollment: { notEnrolledShare: 0.05 } };
const scenarios: SyncScenario[] = [];

afterEach(async () => {
  for (const s of scenarios.splice(0)) await s.close();
});

function spawnSync(s: SyncScenario): ChildProcess {
  const args = [
    'bin/luca.mjs',
    '--data-dir',
    s.paths.root,
    'sync',
    'run',
    '--registry-url',
    s.govsim.url,
  ];
  for (const id of s.cutoffIds) args.push('--cutoff', id);
  // A small burst: each restart's first requests go at once, and the kills must land mid-run.
  args.push('--rate', '10', '--burst', '3', '--timeout-ms', '1000', '--backoff-ms', '20');
  args.push('--max-failures', '1000');

  return spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LUCA_LOG_LEVEL: 'info' },
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** Resolves when the child logs that it started sending, or exits. */
function working(child: ChildProcess): Promise<boolean> {
  return new Promise((resolve) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('sync started')) resolve(true);
    });
    child.once('exit', () => resolve(false));
  });
}

describe('luca sync run killed with SIGKILL', () => {
  it('resumes after at least 10 kills at random points to the same final state as an uninterrupted run', async () => {
    // Prepare: a baseline run without faults and a run that is killed again and again
    const baseline = await syncScenario(schools, simOptions);
    scenarios.push(baseline);
    await baseline.run();
    const killed = await syncScenario(schools, {
      ...simOptions,
      ratePerSecond: 10,
      burst: 10,
      faults: { error5xxRate: 0.1, dropAfterProcessRate: 0.1 },
    });
    scenarios.push(killed);

    // Act
    let kills = 0;
    for (let round = 0; round < 30 && kills < 10; round += 1) {
      const child = spawnSync(killed);
      const isWorking = await working(child);
      if (!isWorking) break;
      await new Promise((r) => setTimeout(r, Math.random() * 1_000));
      if (child.exitCode === null && child.kill('SIGKILL')) kills += 1;
      await exited(child);
    }
    const last = spawnSync(killed);
    const lastCode = await exited(last);

    // Assess
    expect(kills).toBeGreaterThanOrEqual(10);
    expect(lastCode).toBe(0);
    const expected = await fates(baseline);
    const actual = await fates(killed);
    expect(actual.size).toBe(16_000);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    const stats = killed.govsim.stats();
    expect(stats.conflicts).toBe(0);
    expect(stats.duplicate_records).toBe(0);
    expect(stats.records_resubmitted).toBe(0);
    expect(stats.records_applied).toBe(baseline.govsim.stats().records_applied);
    const attempts = await killed.ledger.attempts(killed.cutoffIds[0] as string);
    expect(attempts.some((a) => a.outcome === 'in_flight')).toBe(false);
  }, 300_000);
});
