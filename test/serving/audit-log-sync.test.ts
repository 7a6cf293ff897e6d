import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AuditLog,
  auditRecords,
  type DataSync,
  verifyAuditLog,
} from '../../serving/audit/index.js';
import { auditEntry } from './audit-factories.js';

const entry = () => auditEntry();

function auditPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'luca-audit-sync-')), 'audit');
}

/** A data sync the test releases by hand, recording the descriptors it was given. */
function heldSync() {
  const pending: ((err: Error | null) => void)[] = [];
  const dataSync: DataSync = (_fd, done) => pending.push(done);

  return { dataSync, pending };
}

describe('AuditLog group commit (segment synced off the event loop)', () => {
  it('resolves an append only after the sync of its group completed', async () => {
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

  it('spaces syncs by the interval, so appends arriving in between share one sync', async () => {
    // Prepare
    let syncs = 0;
    const dataSync: DataSync = (_fd, done) => {
      syncs += 1;
      process.nextTick(() => done(null));
    };
    const log = await AuditLog.open(auditPath(), { dataSync, syncIntervalMs: 50 });
    await log.append([entry()]);

    // Act
    const later: Promise<void>[] = [];
    for (let i = 0; i < 5; i++) {
      later.push(log.append([entry()]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(later);

    // Assess
    expect(syncs).toBe(2);
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

  it('keeps every acknowledged record readable by another reader', async () => {
    // Prepare
    const path = auditPath();
    const log = await AuditLog.open(path);

    // Act
    await Promise.all(Array.from({ length: 40 }, () => log.append([entry()])));
    const read = [...auditRecords(path)].length;
    await log.close();

    // Assess
    expect(read).toBe(40);
  });

  it('starts a new segment past the size limit, the chain running on across segments', async () => {
    // Prepare
    const path = auditPath();
    const log = await AuditLog.open(path, { maxSegmentBytes: 2_000 });

    // Act
    for (let i = 0; i < 30; i++) await log.append([entry(), entry()]);
    await log.close();
    const reopened = await AuditLog.open(path, { maxSegmentBytes: 2_000 });
    await reopened.append([entry()]);
    await reopened.close();

    // Assess
    const segments = readdirSync(path).filter((name) => name.endsWith('.jsonl'));
    expect(segments.length).toBeGreaterThan(3);
    expect(segments[0]).toBe('audit-000000000001.jsonl');
    expect(verifyAuditLog(path)).toMatchObject({ ok: true, records: 61, headSeq: 61 });
  });
});
