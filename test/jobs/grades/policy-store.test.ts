import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths, ensureDataPaths, isLucaError, periodById } from '../../../core/index.js';
import { setPolicyFromFile, showPolicy } from '../../../jobs/grades/policy/policy-commands.js';
import { policyHash } from '../../../jobs/grades/policy/policy-schema.js';
import { policyForPeriod } from '../../../jobs/grades/policy/policy-selection.js';
import { SqlitePolicyStore } from '../../../jobs/grades/policy/policy-store.js';
import { aPolicy, aPolicyInput } from './factories.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'luca-policy-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const p1 = periodById('2026-2027/P1');
const p2 = periodById('2026-2027/P2');

describe('SqlitePolicyStore and policyForPeriod', () => {
  it('uses the version in force on the first day of the period', () => {
    // Prepare: v1 from before P1, v2 effective mid-P1, v3 from P2's first day.
    const store = new SqlitePolicyStore(join(dir, 'policies.db'));
    store.set('t-a', aPolicy({ version: 1, effective_from: '2026-08-24' }));
    store.set('t-a', aPolicy({ version: 2, effective_from: '2026-10-01', decimals: 2 }));
    store.set('t-a', aPolicy({ version: 3, effective_from: '2026-11-30', rounding: 'half_up' }));

    // Act
    const forP1 = policyForPeriod(store, 't-a', p1 as never);
    const forP2 = policyForPeriod(store, 't-a', p2 as never);
    store.close();

    // Assess
    expect(forP1.policy.version).toBe(1);
    expect(forP2.policy.version).toBe(3);
  });

  it('falls back to the default policy for a tenant without one', () => {
    const store = new SqlitePolicyStore(join(dir, 'policies.db'));

    const chosen = policyForPeriod(store, 't-none', p1 as never);
    store.close();

    expect(chosen).toMatchObject({ is_tenant_policy: false, policy: { policy_id: 'default' } });
  });

  it('treats the same content again as a no-op and refuses other content for a stored version', () => {
    // Prepare
    const store = new SqlitePolicyStore(join(dir, 'policies.db'));
    store.set('t-a', aPolicy());

    // Act
    const again = store.set('t-a', aPolicy());
    const conflict = (() => {
      try {
        store.set('t-a', aPolicy({ decimals: 2 }));
      } catch (err) {
        return err;
      }
    })();
    const versions = store.versions('t-a');
    store.close();

    // Assess
    expect(again).toBe('unchanged');
    expect(isLucaError(conflict) && conflict.code).toBe('GRADES_ERR_POLICY_CONFLICT');
    expect(versions).toHaveLength(1);
    expect(versions[0]?.hash).toBe(policyHash(aPolicy()));
  });
});

describe('setPolicyFromFile and showPolicy', () => {
  it('stores nothing when the file is invalid', () => {
    // Prepare
    const paths = ensureDataPaths(join(dir, 'data'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...aPolicyInput(), rounding: 'round', decimals: 9 }));

    // Act
    const error = (() => {
      try {
        setPolicyFromFile(paths, 't-a', file);
      } catch (err) {
        return err;
      }
    })();

    // Assess
    if (!isLucaError(error)) throw new Error('expected a LucaError');
    expect(error.code).toBe('GRADES_ERR_POLICY_INVALID');
    expect(error.details?.problems).toHaveLength(2);
    expect(showPolicy(paths, 't-a', '2026-09-01').versions).toEqual([]);
  });

  it('shows the version in force on a date and the period it first grades', () => {
    // Prepare
    const paths = dataPaths(join(dir, 'data'));
    ensureDataPaths(paths.root);
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify(aPolicyInput({ effective_from: '2026-10-01' })));

    // Act
    const summary = setPolicyFromFile(paths, 't-a', file);
    const before = showPolicy(paths, 't-a', '2026-09-30');
    const after = showPolicy(paths, 't-a', '2026-10-01');

    // Assess
    expect(summary).toMatchObject({ outcome: 'stored', first_period: '2026-2027/P2' });
    expect(before.is_default).toBe(true);
    expect(after).toMatchObject({ is_default: false, hash: summary.hash });
  });
});
