import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../core/index.js';

/** A `luca` child process started through the real bin, with its stdout lines. */
export interface LucaChild {
  readonly process: ChildProcess;
  readonly lines: string[];
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/** Starts `node bin/luca.mjs --data-dir <dir> ...args`. */
export function spawnLuca(dataDir: string, args: readonly string[]): LucaChild {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'bin', 'luca.mjs'), '--data-dir', dataDir, ...args],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LUCA_LOG_LEVEL: 'info' },
    },
  );
  const lines: string[] = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr?.on('data', () => {});
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  return { process: child, lines, exited };
}

/** Waits until a stdout line contains `marker`; returns the line. */
export async function waitForLine(
  child: LucaChild,
  marker: string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = child.lines.find((candidate) => candidate.includes(marker));
    if (line) return line;
    if (child.process.exitCode !== null || child.process.signalCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`luca child never printed ${marker}`);
}

/** SIGKILLs a child (if still running) and waits for it to be gone. */
export async function killHard(child: LucaChild): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null)
    child.process.kill('SIGKILL');
  await child.exited;
}

/** A small seeded PRNG (mulberry32), so a failing round can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
