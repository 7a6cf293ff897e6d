import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  AuditLog,
  auditRecords,
  genesisHash,
  hashRow,
  verifyAuditLog,
} from '../../serving/audit/index.js';
import { chainLine, rowOfLine } from '../../serving/audit/chain.js';
import { auditEntry } from './audit-factories.js';

const entry = (student = 'p_s') =>
  auditEntry({ student_id: student, fields: ['profile', 'grades'] });

async function logWith(records: number): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'luca-audit-rec-')), 'audit');
  const log = await AuditLog.open(dir);
  for (let i = 0; i < records; i++) await log.append([entry(`p_${i}`)]);
  await log.close();

  return dir;
}

const segmentOf = (dir: string) => join(dir, 'audit-000000000001.jsonl');

describe('audit log recovery on open', () => {
  it('cuts off a torn last record, keeps its bytes aside, and chains on', async () => {
    // Prepare
    const dir = await logWith(3);
    appendFileSync(segmentOf(dir), '[4,"2026-12-04T10:00:00.000Z","4bf9');

    // Act
    const log = await AuditLog.open(dir);
    await log.append([entry()]);
    await log.close();

    // Assess
    expect(verifyAuditLog(dir)).toMatchObject({ ok: true, records: 4 });
    const torn = readdirSync(dir).filter((name) => name.includes('.torn-'));
    expect(torn).toHaveLength(1);
    expect(readFileSync(join(dir, torn[0] as string), 'utf8')).toBe(
      '[4,"2026-12-04T10:00:00.000Z","4bf9',
    );
  });

  it('cuts off a tail of zero bytes left by a crash', async () => {
    // Prepare
    const dir = await logWith(2);
    appendFileSync(segmentOf(dir), Buffer.alloc(4096));

    // Act
    const log = await AuditLog.open(dir);
    await log.append([entry()]);
    await log.close();

    // Assess
    expect(verifyAuditLog(dir)).toMatchObject({ ok: true, records: 3 });
  });

  it('refuses to open when the last whole record was altered, changing nothing', async () => {
    // Prepare
    const dir = await logWith(3);
    const text = readFileSync(segmentOf(dir), 'utf8');
    writeFileSync(segmentOf(dir), text.replace(/"p_2"/, '"p_someoneelse"'));
    const before = readFileSync(segmentOf(dir), 'utf8');

    // Act
    const opening = AuditLog.open(dir);

    // Assess
    await expect(opening).rejects.toMatchObject({ code: 'AUDIT_ERR_SEGMENT_CORRUPT' });
    expect(readFileSync(segmentOf(dir), 'utf8')).toBe(before);
  });

  it('lets verify name the first record after one removed from the middle', async () => {
    // Prepare
    const dir = await logWith(4);
    const lines = readFileSync(segmentOf(dir), 'utf8').split('\n');
    writeFileSync(segmentOf(dir), [lines[0], lines[2], lines[3], ''].join('\n'));

    // Act
    const result = verifyAuditLog(dir);

    // Assess
    expect(result).toMatchObject({ ok: false, records: 1, brokenAt: { seq: 3 } });
  });
});

describe('audit line format', () => {
  it('stores the hash of exactly what verify recomputes', () => {
    // Act
    const chained = chainLine(entry(), { seq: 41, hash: genesisHash }, '2026-12-04T10:00:00.000Z');
    const row = rowOfLine(chained.line.trimEnd());

    // Assess
    expect(row).toMatchObject({ seq: 42, hash: chained.hash, fields: '["profile","grades"]' });
    const { hash, ...unhashed } = row as NonNullable<typeof row>;
    expect(hashRow(unhashed)).toBe(hash);
  });
});

describe('audit log of the earlier SQLite format', () => {
  it('is carried into the first segment with its hashes, and the chain goes on', async () => {
    // Prepare
    const state = mkdtempSync(join(tmpdir(), 'luca-audit-legacy-'));
    const legacy = join(state, 'audit.db');
    const db = new Database(legacy);
    db.exec(`create table audit_records (seq integer primary key, recorded_at text not null,
      trace_id text not null, tenant_id text, actor_id text, actor_role text, action text not null,
      student_id text, outcome text not null, http_status integer not null, fields text not null,
      error_code text, prev_hash text not null, hash text not null)`);
    let head = { seq: 0, hash: genesisHash };
    const insert = db.prepare(
      'insert into audit_records values (@seq, @recorded_at, @trace_id, @tenant_id, @actor_id, ' +
        '@actor_role, @action, @student_id, @outcome, @http_status, @fields, @error_code, ' +
        '@prev_hash, @hash)',
    );
    for (let i = 0; i < 5; i++) {
      const chained = chainLine(entry(`p_${i}`), head, '2026-12-01T08:00:00.000Z');
      insert.run(rowOfLine(chained.line.trimEnd()));
      head = { seq: chained.seq, hash: chained.hash };
    }
    db.close();
    const dir = join(state, 'audit');

    // Act
    const log = await AuditLog.open(dir, { legacyDatabase: legacy });
    await log.append([entry()]);
    await log.close();

    // Assess
    expect(verifyAuditLog(dir)).toMatchObject({ ok: true, records: 6 });
    expect([...auditRecords(dir)].map((r) => ('seq' in r ? r.student_id : null))).toEqual([
      'p_0',
      'p_1',
      'p_2',
      'p_3',
      'p_4',
      'p_s',
    ]);
    expect(readdirSync(state).sort()).toEqual(['audit', 'audit.db.imported']);
  });
});
