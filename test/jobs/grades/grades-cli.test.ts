import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../core/index.js';
import { aPolicyInput } from './factories.js';

const run = promisify(execFile);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'luca-grades-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `luca` in a child process; resolves with the exit code and output. */
async function luca(...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(repoRoot, 'bin/luca.mjs'), '--data-dir', join(dir, 'data'), ...args],
      { cwd: repoRoot, env: { ...process.env, LUCA_LOG_LEVEL: 'warn' } },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('luca policy and luca grades (process level)', () => {
  it('refuses an invalid policy with every problem and exit 2, and stores nothing', async () => {
    // Prepare
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...aPolicyInput(), rounding: 'round', decimals: 5 }));

    // Act
    const set = await luca('policy', 'set', '--tenant', 't-cli', file);
    const show = await luca('policy', 'show', '--tenant', 't-cli', '--at', '2026-09-01');

    // Assess
    expect(set.code).toBe(2);
    expect(set.stderr).toContain('GRADES_ERR_POLICY_INVALID');
    expect(set.stderr).toContain('rounding:');
    expect(set.stderr).toContain('decimals:');
    expect(JSON.parse(show.stdout)).toMatchObject({ is_default: true, versions: [] });
  }, 120_000);

  it('previews grades as JSON lines and names a bad line by number', async () => {
    // Prepare
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify(aPolicyInput()));
    const good = join(dir, 'good.jsonl');
    writeFileSync(
      good,
      `${JSON.stringify({ student_id: 's-1', subject: 'MAT', period: '2026-2027/P1', evaluation_id: 'e1', category: 'exam', score: 78.5, max_score: 100 })}\n`,
    );
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify({ student_id: 's-1' })}\n`);

    // Act
    const preview = await luca('grades', 'preview', '--policy', policy, '--evaluations', good);
    const refused = await luca('grades', 'preview', '--policy', policy, '--evaluations', bad);

    // Assess
    expect(preview.code).toBe(0);
    expect(JSON.parse(preview.stdout.trim())).toMatchObject({
      grade: '7.8',
      grade_unrounded: '7.85',
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('line 1: subject');
  }, 120_000);
});
