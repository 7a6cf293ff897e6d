import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/index.js';
import { AuditLog, type AuditEntry } from '../../serving/audit/index.js';
import { auditEntry } from './audit-factories.js';

function entry(outcome: AuditEntry['outcome']): AuditEntry {
  const allowed = outcome === 'allowed';

  return auditEntry({
    actor_id: 'p_actor',
    student_id: 'p_student',
    outcome,
    http_status: allowed ? 200 : 404,
    fields: allowed ? ['profile'] : [],
  });
}

function luca(dataDir: string, ...args: string[]) {
  return spawnSync(
    process.execPath,
    [join(repoRoot, 'bin', 'luca.mjs'), '--data-dir', dataDir, ...args],
    {
      encoding: 'utf8',
    },
  );
}

describe('luca audit verify', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'luca-audit-cli-'));
    const log = await AuditLog.open(join(dataDir, 'state', 'audit'));
    await Promise.all([
      log.append([entry('allowed')]),
      log.append([entry('not_found'), entry('denied')]),
    ]);
    await log.close();
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 0 and prints the head of an intact chain', () => {
    // Act
    const run = luca(dataDir, 'audit', 'verify');

    // Assess
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, records: 3, headSeq: 3 });
  });

  it('exports the records as audit.recorded events', () => {
    // Act
    const run = luca(dataDir, 'audit', 'export', '--after', '1');

    // Assess
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.map((e) => e.payload.outcome)).toEqual(['not_found', 'denied']);
    expect(events.every((e) => e.event_type === 'audit.recorded')).toBe(true);
  });

  it.each([
    ['--limit', 'abc', 'a whole number of 1 or more'],
    ['--after', '-1', 'a whole number of 0 or more'],
  ])('refuses %s %s, naming what it should be, and exports nothing', (flag, value, wanted) => {
    // Act
    const run = luca(dataDir, 'audit', 'export', flag, value);

    // Assess
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`argument '${value}' is invalid. Expected ${wanted}.`);
    expect(run.stdout).toBe('');
  });

  it('exits 2 with AUDIT_ERR_LOG_MISSING when there is no log', () => {
    // Prepare
    const empty = mkdtempSync(join(tmpdir(), 'luca-audit-none-'));

    // Act
    const run = luca(empty, 'audit', 'verify');

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('AUDIT_ERR_LOG_MISSING');
    rmSync(empty, { recursive: true, force: true });
  });

  it('exits non-zero naming the first record that was deleted', () => {
    // Prepare
    const segment = join(dataDir, 'state', 'audit', 'audit-000000000001.jsonl');
    const lines = readFileSync(segment, 'utf8').split('\n');
    writeFileSync(segment, lines.filter((_line, index) => index !== 1).join('\n'));

    // Act
    const run = luca(dataDir, 'audit', 'verify');

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('AUDIT_ERR_CHAIN_BROKEN');
    expect(JSON.parse(run.stdout).brokenAt.seq).toBe(3);
  });
});
