import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../core/index.js';
import { resolveSeedOptions, type SeedOptions } from '../../../pipelines/seed/index.js';
import { fixedNow, tempDir } from './factories.js';

function problemOf(options: SeedOptions): string {
  try {
    resolveSeedOptions({ now: fixedNow, out: '/tmp/x.jsonl', ...options });
  } catch (error) {
    expect((error as { code?: string }).code).toBe('SEED_ERR_INVALID_OPTION');
    return (error as Error).message;
  }
  throw new Error('expected SEED_ERR_INVALID_OPTION');
}

describe('resolveSeedOptions', () => {
  it('fills the demo defaults: 3 schools of 40 students, 20 days up to today in Mexico City', () => {
    const options = resolveSeedOptions({ now: fixedNow, out: '/tmp/x.jsonl' });

    expect(options).toMatchObject({
      schools: 3,
      studentsPerSchool: 40,
      days: 20,
      asOf: '2026-12-03',
      seed: 'luca',
      invalidCurpShare: 0.02,
    });
    expect(options.cutoffMs).toBe(fixedNow.getTime());
  });

  it('names the flag to fix for each bad value', () => {
    expect(problemOf({ schools: 0 })).toMatch(/^--schools:/);
    expect(problemOf({ schools: 2.5 })).toMatch(/^--schools:/);
    expect(problemOf({ studentsPerSchool: 50_000 })).toMatch(/^--students-per-school:/);
    expect(problemOf({ days: 0 })).toMatch(/^--days:/);
    expect(problemOf({ asOf: '2026-13-01' })).toMatch(/^--as-of:/);
    expect(problemOf({ asOf: '2026-12-05' })).toMatch(/--as-of 2026-12-05 is in the future/);
    expect(problemOf({ asOf: '2025-06-01' })).toMatch(/400 days/);
    expect(problemOf({ seed: '' })).toMatch(/^--seed:/);
    expect(problemOf({ invalidCurpShare: -0.1 })).toMatch(/^--invalid-curp-share:/);
    expect(problemOf({ invalidCurpShare: 0.4, missingCurpShare: 0.2 })).toMatch(/at most 0.5/);
    expect(problemOf({ out: undefined, url: 'ftp://host' })).toMatch(/^--url:/);
  });

  it('asks for one destination of the events', () => {
    expect(problemOf({ out: undefined })).toMatch(/--out FILE, --url URL, or --no-events/);
    expect(problemOf({ url: 'http://127.0.0.1:1' })).toMatch(/not --out and --url/);
    expect(() => resolveSeedOptions({ now: fixedNow, events: false })).not.toThrow();
  });
});

describe('luca seed', () => {
  const run = promisify(execFile);
  const cli = join(repoRoot, 'bin', 'luca.mjs');

  it('exits 2 with the code and the flag to fix', { timeout: 120_000 }, async () => {
    const failure = await run('node', [
      cli,
      '--data-dir',
      tempDir(),
      'seed',
      '--schools',
      'many',
    ]).catch((e) => e);

    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain(
      "error SEED_ERR_INVALID_OPTION: --schools must be a whole number, not 'many'.",
    );
  });

  it('writes events to --out and prints a summary', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    const out = join(dataDir, 'events.jsonl');
    const args = [
      cli,
      '--data-dir',
      dataDir,
      'seed',
      '--schools',
      '1',
      '--students-per-school',
      '10',
      '--days',
      '2',
      '--as-of',
      '2026-12-02',
      '--out',
      out,
    ];

    const { stdout } = await run('node', args);

    expect(stdout).toMatch(/schools 1, groups \d+, teachers \d+, guardians \d+, students 10/);
    expect(stdout).toContain(`events: ${out}`);
    expect(stdout).toContain(`roster: ${join(dataDir, 'seed', 'roster.jsonl')}`);
  });
});
