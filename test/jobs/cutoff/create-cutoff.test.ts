import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLucaError } from '../../../core/index.js';
import { listManifests, readCutoff } from '../../../jobs/cutoff/index.js';
import { badCheckDigitCurp, freezeSchool, tempDataPaths, validCurp } from '../sync/factories.js';

const cct = '09DPR0001A';

describe('createCutoff', () => {
  it('freezes records in the contract shape with a manifest of counts, checksums and policies', async () => {
    // Prepare
    const paths = tempDataPaths();

    // Act
    const manifest = await freezeSchool(paths.lake, {
      cct,
      students: 10,
      subjects: ['ESP', 'MAT'],
    });

    // Assess
    expect(manifest.cutoff_id).toBe('t-09dpr0001a.2026-2027-P1.v1');
    expect(manifest.totals).toMatchObject({ students: 10, students_sendable: 10, records: 20 });
    expect(manifest.policies).toEqual([
      { policy_id: 'default', policy_version: '2026-08-01', policy_hash: 'h1', records: 20 },
    ]);
    expect(Date.parse(manifest.deadline_at) - Date.parse(manifest.created_at)).toBe(48 * 3_600_000);
    const frozen = readCutoff(paths.lake, manifest.cutoff_id);
    const [record] = frozen.records.get(cct) ?? [];
    expect(Object.keys(record ?? {}).sort()).toEqual([
      'curp',
      'grade',
      'grade_level',
      'group',
      'record_id',
      'subject_code',
    ]);
    expect(typeof record?.grade).toBe('number');
    expect(manifest.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
  });

  it('lists students that cannot be sent with the reason, never their CURP', async () => {
    // Prepare
    const paths = tempDataPaths();
    const curpOf = (i: number) => (i === 0 ? null : i === 1 ? badCheckDigitCurp(1) : validCurp(i));
    const gradeOf = (i: number, s: number) => (i === 2 && s === 0 ? '7.25' : '8');

    // Act
    const manifest = await freezeSchool(paths.lake, {
      cct,
      students: 5,
      subjects: ['ESP', 'MAT'],
      curpOf,
      gradeOf,
    });

    // Assess
    const frozen = readCutoff(paths.lake, manifest.cutoff_id);
    expect(frozen.unsendable.map((u) => u.reason).sort()).toEqual([
      'CURP_INVALID',
      'CURP_MISSING',
      'GRADE_NOT_REPORTABLE',
    ]);
    expect(manifest.totals.records).toBe(5);
    const unsendableText = readFileSync(join(frozen.dir, 'unsendable.jsonl'), 'utf8');
    expect(unsendableText).not.toContain(badCheckDigitCurp(1));
  });

  it('makes a new version with a diff when created again, keeping the first intact', async () => {
    // Prepare
    const paths = tempDataPaths();
    const first = await freezeSchool(paths.lake, { cct, students: 4, gradeOf: () => '8' });

    // Act
    const second = await freezeSchool(paths.lake, {
      cct,
      students: 5,
      gradeOf: (i) => (i === 0 ? '9' : '8'),
    });

    // Assess
    expect(second.version).toBe(2);
    expect(second.previous_cutoff_id).toBe(first.cutoff_id);
    expect(second.diff).toMatchObject({ added: 2, changed: 2, removed: 0, unchanged: 6 });
    expect(readCutoff(paths.lake, first.cutoff_id).records.get(cct)).toHaveLength(8);
    expect(listManifests(paths.lake).map((m) => m.version)).toEqual([1, 2]);
  });

  it('refuses to read a cutoff whose files changed after freezing', async () => {
    // Prepare
    const paths = tempDataPaths();
    const manifest = await freezeSchool(paths.lake, { cct, students: 3 });
    const dir = readCutoff(paths.lake, manifest.cutoff_id).dir;
    const file = join(dir, `records-${cct}.jsonl`);
    chmodSync(dir, 0o755);
    chmodSync(file, 0o644);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"grade":8.5', '"grade":9.5'));

    // Act
    const read = () => readCutoff(paths.lake, manifest.cutoff_id);

    // Assess
    expect(read).toThrowError(expect.objectContaining({ code: 'CUTOFF_ERR_CHECKSUM_MISMATCH' }));
    try {
      read();
    } catch (err) {
      expect(isLucaError(err)).toBe(true);
    }
  });
});
