import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Pseudonymizer } from '../../core/index.js';

describe('Pseudonymizer', () => {
  const key = randomBytes(32);

  it('gives the same pseudonym for the same id and tenant, a different one per tenant', () => {
    const pseudonymizer = new Pseudonymizer(key);

    const first = pseudonymizer.pseudonym('t-a', 'stu-1');

    expect(first).toMatch(/^p_[A-Za-z0-9_-]{22}$/);
    expect(pseudonymizer.pseudonym('t-a', 'stu-1')).toBe(first);
    expect(pseudonymizer.pseudonym('t-b', 'stu-1')).not.toBe(first);
  });

  it('answers the same once its bounded cache has been cleared and refilled', () => {
    const cached = new Pseudonymizer(key);
    const ids = Array.from({ length: 60_000 }, (_, i) => `stu-${i}`);

    const before = ids.map((id) => cached.pseudonym('t-a', id));
    const fresh = new Pseudonymizer(key);

    expect(ids.map((id) => cached.pseudonym('t-a', id))).toEqual(before);
    expect(ids.slice(0, 100).map((id) => fresh.pseudonym('t-a', id))).toEqual(before.slice(0, 100));
  });
});
