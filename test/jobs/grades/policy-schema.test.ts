import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  defaultPolicy,
  policyHash,
  validatePolicy,
} from '../../../jobs/grades/policy/policy-schema.js';
import { aPolicyInput } from './factories.js';

describe('validatePolicy', () => {
  it("accepts the issue's policy shape exactly as written", () => {
    // Prepare
    const input = { ...aPolicyInput(), excluded_from_average: ['socioemotional'] };

    // Act
    const result = validatePolicy(input);

    // Assess
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.policy.excluded_from_average).toEqual(['SOCIOEMOTIONAL']);
  });

  it('lists every problem at once, cross-field rules included', () => {
    // Prepare
    const input = {
      ...aPolicyInput(),
      version: 0,
      decimals: 3,
      rounding: 'round',
      missing: 'skip',
      scale: { min: 7, max: 10, passing: 6 },
      categories: [
        { id: 'exam', weight: 0 },
        { id: 'exam', weight: 10 },
      ],
    };

    // Act
    const result = validatePolicy(input);

    // Assess
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.problems.map((problem) => problem.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'version',
        'decimals',
        'rounding',
        'missing',
        'categories.0.weight',
        'scale',
        'categories.1.id',
      ]),
    );
  });

  it('refuses scale values with more decimals than the policy reports', () => {
    const result = validatePolicy({
      ...aPolicyInput(),
      decimals: 0,
      scale: { min: 5, max: 10, passing: 6.5 },
    });

    expect(result.ok ? [] : result.problems).toEqual([
      { path: 'scale.passing', message: 'has more decimals than "decimals" (0)' },
    ]);
  });

  it('accepts weights that do not add up to 100', () => {
    const result = validatePolicy({ ...aPolicyInput(), categories: [{ id: 'exam', weight: 3 }] });

    expect(result.ok).toBe(true);
  });
});

describe('policyHash', () => {
  it('hashes the same content the same way whatever the key order', () => {
    // Prepare
    const first = validatePolicy(aPolicyInput());
    const reordered = validatePolicy(JSON.parse(canonicalJson(aPolicyInput())));

    // Act and Assess
    if (!first.ok || !reordered.ok) throw new Error('fixture policy must be valid');
    expect(policyHash(first.policy)).toBe(policyHash(reordered.policy));
    expect(policyHash(first.policy)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('changes when any rule changes', () => {
    const base = validatePolicy(aPolicyInput());
    const changed = validatePolicy({ ...aPolicyInput(), rounding: 'half_up' });

    if (!base.ok || !changed.ok) throw new Error('fixture policy must be valid');
    expect(policyHash(base.policy)).not.toBe(policyHash(changed.policy));
  });
});

describe('defaultPolicy', () => {
  it('is the documented SEP default', () => {
    expect(defaultPolicy).toMatchObject({
      policy_id: 'default',
      scale: { min: 5, max: 10, passing: 6 },
      decimals: 1,
      rounding: 'truncate',
      failing_reported_as_min: true,
      missing: 'exclude',
    });
  });
});
