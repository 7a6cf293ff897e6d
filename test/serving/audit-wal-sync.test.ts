import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type AuditEntry, AuditLog } from '../../serving/audit/index.js';
import type { DataSync } from '../../serving/audit/wal-sync.js';

function entry(): AuditEntry {
  return {
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    tenant_id: 't-1',
    actor_id: 'p_t',
    actor_role: 'teacher',
    action: 'student.session_read',
    student_id: 'p_s',
    outcome: 'allowed',
    http_status: 200,
    fields: ['profile'],
    error_code: null,
  };
}

function auditPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'luca-audit-wal-')), 'audit.db');
}

/** A data sync the test releases by hand, recording the descriptors it was given. */
function heldSync() {
  const pending: ((err: Error | null) => void)[] = [];
  const dataSync: DataSync = (_fd, done) => pending.push(done);

  return { dataSync, pending };
}

describe('inline audit writer (WAL synced off the event loop)', () => {
  it('resolves an append only after the WAL sync of its group completed', async () => {
    // Prepare
    const sync = heldSync();
    const log = await AuditLog.open(auditPath(), { dataSync: sync.dataSync });
    let durable = false;

    // Act
    const appended = log.append([entry()]).then(() => {
      durable = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const beforeSync = durable;
    sync.pending.shift()?.(null);
    await appended;

    // Assess
    expect(beforeSync).toBe(false);
    expect(durable).toBe(true);
    await log.close();
  });

  it('syncs a later group without waiting for the earlier one, each resolving on its own sync', async () => {
    // Prepare
    const sync = heldSync();
    const log = await AuditLog.open(auditPath(), { dataSync: sync.dataSync });
    const done: string[] = [];

    // Act
    const first = log.append([entry()]).then(() => done.push('first'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = log.append([entry()]).then(() => done.push('second'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const syncing = sync.pending.length;
    sync.pending[1]?.(null);
    await second;
    const afterSecond = [...done];
    sync.pending[0]?.(null);
    await first;

    // Assess
    expect(syncing).toBe(2);
    expect(afterSecond).toEqual(['second']);
    expect(done).toEqual(['second', 'first']);
    await log.close();
  });

  it('fails closed with AUDIT_ERR_UNAVAILABLE when the sync fails', async () => {
    // Prepare
    const sync = heldSync();
    const log = await AuditLog.open(auditPath(), { dataSync: sync.dataSync });

    // Act
    const appended = log.append([entry()]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    sync.pending.shift()?.(new Error('EIO'));

    // Assess
    await expect(appended).rejects.toMatchObject({ code: 'AUDIT_ERR_UNAVAILABLE' });
    expect(log.isAvailable).toBe(false);
    await expect(log.append([entry()])).rejects.toMatchObject({ code: 'AUDIT_ERR_UNAVAILABLE' });
  });

  it('keeps every acknowledged record readable by another connection', async () => {
    // Prepare
    const path = auditPath();
    const log = await AuditLog.open(path);

    // Act
    await Promise.all(Array.from({ length: 40 }, () => log.append([entry()])));
    const reader = new Database(path, { readonly: true });
    const count = reader.prepare('select count(*) as n from audit_records').get() as { n: number };
    reader.close();
    await log.close();

    // Assess
    expect(count.n).toBe(40);
  });
});
