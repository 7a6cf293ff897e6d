import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErasureRegisterCache, erasureRegisterFile, registerErasure } from '../../core/index.js';

function erasure(pseudonym: string) {
  return {
    student_id: pseudonym,
    erased_at: '2026-12-03T10:00:00.000Z',
    audit_event_id: `ev-${pseudonym}`,
  };
}

describe('ErasureRegisterCache', () => {
  let lake: string;

  beforeEach(() => {
    lake = mkdtempSync(join(tmpdir(), 'luca-erasure-cache-'));
  });

  afterEach(() => {
    rmSync(lake, { recursive: true, force: true });
  });

  it('answers an empty set for a tenant with no register', () => {
    const cache = new ErasureRegisterCache(lake);

    const erased = cache.erasedIn('t-school-a');

    expect(erased.size).toBe(0);
    expect(cache.erasedByTenant().size).toBe(0);
  });

  it('keeps the same set while the register file is unchanged', () => {
    registerErasure(lake, 't-school-a', erasure('p_1'));
    const cache = new ErasureRegisterCache(lake);

    const first = cache.erasedIn('t-school-a');
    const second = cache.erasedIn('t-school-a');

    expect(second).toBe(first);
    expect([...first]).toEqual(['p_1']);
  });

  it('reads the register again once an erasure is appended to it', () => {
    registerErasure(lake, 't-school-a', erasure('p_1'));
    const cache = new ErasureRegisterCache(lake);
    const before = cache.erasedIn('t-school-a');

    registerErasure(lake, 't-school-a', erasure('p_2'));
    const after = cache.erasedIn('t-school-a');

    expect(after).not.toBe(before);
    expect([...after].sort()).toEqual(['p_1', 'p_2']);
  });

  it('ignores a torn last line until the erasure that tore it is written again', () => {
    registerErasure(lake, 't-school-a', erasure('p_1'));
    appendFileSync(erasureRegisterFile(lake, 't-school-a'), '{"student_id":"p_');
    const cache = new ErasureRegisterCache(lake);

    const erased = cache.erasedIn('t-school-a');

    expect([...erased]).toEqual(['p_1']);
  });

  it('lists each tenant with an erased student, and only those', () => {
    registerErasure(lake, 't-school-a', erasure('p_1'));
    registerErasure(lake, 't-school-b', erasure('p_2'));
    const empty = erasureRegisterFile(lake, 't-school-c');
    mkdirSync(dirname(empty), { recursive: true });
    writeFileSync(empty, '');
    const cache = new ErasureRegisterCache(lake);

    const byTenant = cache.erasedByTenant();

    expect(Object.fromEntries([...byTenant].map(([t, set]) => [t, [...set]]))).toEqual({
      't-school-a': ['p_1'],
      't-school-b': ['p_2'],
    });
  });
});
