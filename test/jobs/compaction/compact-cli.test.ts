import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../core/index.js';
import { manifestFileName } from '../../../jobs/compaction/index.js';
import {
  asOf,
  behaviourDir,
  days,
  land,
  landingDirEachTest,
  spreadRows,
  tenants,
  treeState,
} from './compaction-fixture.js';

const run = promisify(execFile);

describe('luca jobs compact (process level)', () => {
  const landingDir = landingDirEachTest('luca-compact-cli-');

  beforeEach(async () => {
    await land(landingDir(), spreadRows(120), 20);
  });

  /** Runs `luca jobs compact` on the test's data directory; resolves with exit code and output. */
  async function compact(...args: string[]) {
    const root = landingDir().paths.root;
    const argv = [join(repoRoot, 'bin/luca.mjs'), '--data-dir', root, 'jobs', 'compact'];
    try {
      const { stdout, stderr } = await run(process.execPath, [...argv, ...args], {
        cwd: repoRoot,
        env: { ...process.env, LUCA_LOG_LEVEL: 'warn' },
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const failed = err as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('prints the summary of what it compacted and exits 0', async () => {
    const dir = landingDir();
    // Act
    const result = await compact('--as-of', asOf);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`compaction as of ${asOf} (days through 2026-11-23)`);
    expect(result.stdout).toContain('6 partitions scanned, compacted 6, 0 skipped, 0 failed');
    expect(result.stdout).toContain('files 36 -> 6');
    expect(result.stdout).toContain(`120 rows`);
    expect(result.stdout).toContain(join(dir.paths.lake, 'raw'));
  }, 60_000);

  it('lists each partition it would compact on a dry run and changes nothing', async () => {
    // Prepare
    const dir = landingDir();
    const before = treeState(join(dir.paths.lake, 'raw'));

    // Act
    const result = await compact('--as-of', asOf, '--dry-run', '--tenant', tenants[1]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `would compact behaviour/tenant_id=${tenants[1]}/event_date=${days[2]}: 6 files, 20 rows`,
    );
    expect(result.stdout).toContain('3 partitions scanned, would compact 3');
    expect(treeState(join(dir.paths.lake, 'raw'))).toEqual(before);
  }, 60_000);

  it('exits 2 with a message naming a bad flag or value, and changes nothing', async () => {
    // Prepare
    const dir = landingDir();
    const before = treeState(join(dir.paths.lake, 'raw'));

    // Act
    const badValue = await compact('--min-files', '1');
    const notNumber = await compact('--min-age-days', 'two');
    const unknown = await compact('--older-than', '3');

    // Assess
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain(
      "COMPACTION_ERR_INVALID_OPTION: --min-files must be a whole number of at least 2, not '1'.",
    );
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toContain(
      "--min-age-days must be a whole number of 0 or more, not 'two'.",
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--older-than'");
    expect(treeState(join(dir.paths.lake, 'raw'))).toEqual(before);
  }, 60_000);

  it('exits 1 and names the partition when one failed, compacting the others', async () => {
    // Prepare: a manifest this job did not write.
    const dir = landingDir();
    const broken = behaviourDir(dir.paths.lake, tenants[0], days[0]);
    writeFileSync(join(broken, manifestFileName), '{"output": "../../elsewhere.parquet"}');

    // Act
    const result = await compact('--as-of', asOf);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `failed behaviour/tenant_id=${tenants[0]}/event_date=${days[0]}`,
    );
    expect(result.stdout).toContain('compacted 5, 0 skipped, 1 failed');
  }, 60_000);
});
