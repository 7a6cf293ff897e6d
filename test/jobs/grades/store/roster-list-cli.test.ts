import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../../core/index.js';
import { rosterRecords, tenantA } from './factories.js';

const run = promisify(execFile);

function rosterFile(dataDir: string): string {
  const lines = rosterRecords().map((record) =>
    JSON.stringify({ kind: record.kind, ...record.data }),
  );
  mkdirSync(join(dataDir, 'seed'), { recursive: true });
  const file = join(dataDir, 'seed', 'roster.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);

  return file;
}

describe('luca roster list', () => {
  it('prints ids and relationships without any name or CURP', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'luca-roster-cli-'));
    rosterFile(dataDir);
    const luca = (...args: string[]) =>
      run(process.execPath, [join(repoRoot, 'bin', 'luca.mjs'), '--data-dir', dataDir, ...args], {
        cwd: repoRoot,
      });

    await luca('roster', 'import');
    const [all, one] = await Promise.all([
      luca('roster', 'list'),
      luca('roster', 'list', '--tenant', tenantA),
    ]);

    const lines = all.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.kind).sort()).toEqual(
      [
        'guardian',
        'group',
        'group',
        'school',
        'school',
        'student',
        'student',
        'student',
        'teacher',
      ].sort(),
    );
    for (const record of rosterRecords()) {
      const { name, curp } = record.data as { name?: string; curp?: string | null };
      if (name) expect(all.stdout).not.toContain(name);
      if (curp) expect(all.stdout).not.toContain(curp);
    }
    expect(all.stdout).not.toMatch(/"(name|curp)"/);
    expect(
      one.stdout
        .trim()
        .split('\n')
        .every((line) => JSON.parse(line).tenant_id === tenantA),
    ).toBe(true);
    expect(lines).toContainEqual(
      expect.objectContaining({
        kind: 'student',
        student_id: 'stu-2',
        group_id: 'g-1b',
        has_curp: false,
      }),
    );
  }, 240_000);
});
