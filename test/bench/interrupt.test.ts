import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/index.js';

/** Starts the child, sends SIGINT once it is ready, resolves with its exit code and the file. */
function interrupted(mode: 'wait' | 'cleaning'): Promise<{ code: number | null; log: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'luca-interrupt-')), 'log');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'test/bench/fixtures/interrupt-child.ts'), file, mode],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  child.stdout.once('data', () => setTimeout(() => child.kill('SIGINT'), 50));

  return new Promise((resolve) => {
    child.once('exit', (code) => resolve({ code, log: readFileSync(file, 'utf8') }));
  });
}

describe('cleanUpOnInterrupt (benches)', () => {
  it('runs the clean-up to its end on SIGINT, then exits 130', async () => {
    const { code, log } = await interrupted('wait');

    expect(code).toBe(130);
    expect(log).toBe('start\nend\n');
  }, 30_000);

  it('waits for a clean-up already under way instead of starting it again', async () => {
    const { code, log } = await interrupted('cleaning');

    expect(code).toBe(130);
    expect(log).toBe('start\nend\n');
  }, 30_000);
});
