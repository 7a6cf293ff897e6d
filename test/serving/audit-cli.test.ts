import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/index.js';
import { AuditLog, type AuditEntry } from '../../serving/audit/index.js';

function entry(outcome: AuditEntry['outcome']): AuditEntry {
  return {
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    tenant_id: 't-alpha',
    actor_id: 'p_actor',
    actor_role: 'teacher',
    action: 'student.session_read',
    student_id: 'p_student',
    outcome,
    http_status: outcome === 'allowed' ? 200 : 404,
    fields: outcome === 'allowed' ? ['profile'] : [],
    error_code: null,
  };
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
    const log = await AuditLog.open(join(dataDir, 'state', 'audit.db'));
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
    const db = new Database(join(dataDir, 'state', 'audit.db'));
    db.exec('drop trigger audit_records_no_delete');
    db.prepare('delete from audit_records where seq = 2').run();
    db.close();

    // Act
    const run = luca(dataDir, 'audit', 'verify');

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('AUDIT_ERR_CHAIN_BROKEN');
    expect(JSON.parse(run.stdout).brokenAt.seq).toBe(3);
  });
});
