import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditLog,
  readAuditEvents,
  shipAuditEvents,
  verifyAuditLog,
} from '../../serving/audit/index.js';
import { auditEntry } from './audit-factories.js';
import { auditRecordedV1, incomingEnvelope } from '../../core/index.js';
import { type SessionFixture, sessionFixture, students } from './session-fixture.js';

describe('audit of session reads', () => {
  let fx: SessionFixture;
  beforeAll(async () => {
    fx = await sessionFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it('writes exactly one record per 200 and per denial, with what was returned', async () => {
    // Prepare
    const teacher = await fx.token('teacher');
    const analyst = await fx.token('analyst');
    const before = (await fx.auditRecords()).length;
    const calls = [
      { token: teacher, id: students.own_group, status: 200, outcome: 'allowed' },
      { token: teacher, id: students.same_tenant_unrelated, status: 404, outcome: 'denied' },
      { token: teacher, id: students.missing, status: 404, outcome: 'not_found' },
      { token: analyst, id: students.own_group, status: 403, outcome: 'denied' },
    ];

    // Act
    for (const call of calls) {
      await fx.app.inject({
        url: `/v1/students/${call.id}/session`,
        headers: { authorization: `Bearer ${call.token}` },
      });
    }

    // Assess
    const records = (await fx.auditRecords()).slice(before);
    expect(records.map((r) => [r.http_status, r.outcome])).toEqual(
      calls.map((c) => [c.status, c.outcome]),
    );
    expect(records[0]).toMatchObject({
      actor_role: 'teacher',
      actor_id: fx.pseudonymizer.pseudonym('t-alpha', 'u-caller'),
      student_id: fx.pseudonymizer.pseudonym('t-alpha', students.own_group),
      fields: ['profile', 'profile.realtime', 'grades', 'freshness'],
    });
    expect(JSON.stringify(records)).not.toContain('u-caller');
    expect(records.every((r) => /^[0-9a-f]{32}$/.test(r.trace_id))).toBe(true);
  });

  it('writes one record per student of a batch', async () => {
    // Prepare
    const teacher = await fx.token('teacher');
    const before = (await fx.auditRecords()).length;

    // Act
    await fx.app.inject({
      method: 'POST',
      url: '/v1/students/session:batch',
      headers: { authorization: `Bearer ${teacher}` },
      payload: { student_ids: [students.own_group, students.missing, students.self] },
    });

    // Assess
    const records = (await fx.auditRecords()).slice(before);
    expect(records.map((r) => r.outcome)).toEqual(['allowed', 'not_found', 'denied']);
    expect(new Set(records.map((r) => r.trace_id)).size).toBe(1);
  });

  it('keeps an unbroken hash chain that verify accepts', async () => {
    // Act
    const result = verifyAuditLog(fx.auditPath);

    // Assess
    expect(result.ok).toBe(true);
    expect(result.records).toBe((await fx.auditRecords()).length);
  });

  it('turns records into audit.recorded envelopes the contract accepts, deterministically', async () => {
    // Act
    const page = readAuditEvents(fx.auditPath);
    const again = readAuditEvents(fx.auditPath);
    const shipped: unknown[] = [];
    const summary = await shipAuditEvents(fx.auditPath, async (events) => {
      shipped.push(...events);
    });

    // Assess
    expect(page.events.length).toBeGreaterThan(0);
    expect(page.events.map((e) => e.event_id)).toEqual(again.events.map((e) => e.event_id));
    for (const event of page.events) {
      expect(incomingEnvelope.safeParse(event).success).toBe(true);
      expect(auditRecordedV1.safeParse(event.payload).success).toBe(true);
    }
    expect(summary.shipped).toBe(shipped.length);
    expect(summary.lastSeq).toBe((await fx.auditRecords()).length);
  });

  it('detects an altered record', () => {
    // Prepare
    const segment = join(fx.auditPath, 'audit-000000000001.jsonl');
    const lines = readFileSync(segment, 'utf8').split('\n');
    const second = JSON.parse(lines[1] as string) as unknown[];
    second[7] = 'p_someoneelse';
    lines[1] = JSON.stringify(second);
    writeFileSync(segment, lines.join('\n'));

    // Act
    const result = verifyAuditLog(fx.auditPath);

    // Assess
    expect(result.ok).toBe(false);
    expect(result.brokenAt?.seq).toBe(2);
  });
});

describe('AuditLog group commit', () => {
  it('commits concurrent appends as one chain in fewer groups', async () => {
    // Prepare
    const path = join(mkdtempSync(join(tmpdir(), 'luca-audit-')), 'audit');
    const groups: number[] = [];
    const log = await AuditLog.open(path, { timer: (rows) => groups.push(rows) });
    const entry = auditEntry();

    // Act
    await Promise.all(Array.from({ length: 25 }, () => log.append([entry])));
    await log.close();

    // Assess
    expect(verifyAuditLog(path)).toMatchObject({ ok: true, records: 25 });
    expect(groups.reduce((a, b) => a + b, 0)).toBe(25);
    expect(groups.length).toBeLessThan(25);
  });
});

describe('audit sink failure', () => {
  it('fails reads closed with 503 and Retry-After when the audit log cannot write', async () => {
    // Prepare
    const fx = await sessionFixture();
    const token = await fx.token('school_admin');
    await fx.deps.audit.close();

    // Act
    const res = await fx.app.inject({
      url: `/v1/students/${students.own_group}/session`,
      headers: { authorization: `Bearer ${token}` },
    });
    const ready = await fx.app.inject({ url: '/readyz' });

    // Assess
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('AUDIT_ERR_UNAVAILABLE');
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body).not.toContain('engagement_7d');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.audit).toBe('unavailable');
    await fx.close();
  });

  it('refuses to open an audit log in a place it cannot write', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'luca-audit-'));
    writeFileSync(join(dir, 'not-a-dir'), '');
    chmodSync(join(dir, 'not-a-dir'), 0o400);

    // Act
    const opening = AuditLog.open(join(dir, 'not-a-dir', 'audit'));

    // Assess
    await expect(opening).rejects.toThrow();
  });
});
