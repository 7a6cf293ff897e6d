import { describe, expect, it } from 'vitest';
import type { Principal } from '../../core/index.js';
import { cachingVerifier } from '../../serving/session/index.js';

const principal: Principal = { tenantId: 't-a', role: 'teacher', subject: 'tc-1', tokenId: 'j1' };

function bearer(expSeconds: number): string {
  const payload = Buffer.from(JSON.stringify({ exp: expSeconds })).toString('base64url');
  return `Bearer h.${payload}.sig`;
}

describe('cachingVerifier', () => {
  it('verifies a token once while it is cached', async () => {
    // Prepare
    let calls = 0;
    const verify = cachingVerifier(
      async () => {
        calls += 1;
        return principal;
      },
      { now: () => 1_000_000 },
    );
    const token = bearer(2_000);

    // Act
    await verify(token);
    const again = await verify(token);

    // Assess
    expect(again).toBe(principal);
    expect(calls).toBe(1);
  });

  it('verifies again after the token expires, with no tolerance', async () => {
    // Prepare
    let clock = 1_000_000;
    let calls = 0;
    const verify = cachingVerifier(
      async () => {
        calls += 1;
        return principal;
      },
      { now: () => clock },
    );
    const token = bearer(1_010);
    await verify(token);

    // Act
    clock = 1_010_001;
    await verify(token);

    // Assess
    expect(calls).toBe(2);
  });

  it('never caches a failure', async () => {
    // Prepare
    let calls = 0;
    const verify = cachingVerifier(async () => {
      calls += 1;
      throw new Error('bad signature');
    });

    // Act
    const first = verify(bearer(9_999_999_999));
    const second = verify(bearer(9_999_999_999));

    // Assess
    await expect(first).rejects.toThrow('bad signature');
    await expect(second).rejects.toThrow('bad signature');
    expect(calls).toBe(2);
  });

  it('forgets the oldest entry beyond its size', async () => {
    // Prepare
    let calls = 0;
    const verify = cachingVerifier(
      async () => {
        calls += 1;
        return principal;
      },
      { maxEntries: 2, now: () => 0 },
    );

    // Act
    for (const exp of [10, 11, 12, 10]) await verify(bearer(exp));

    // Assess
    expect(calls).toBe(4);
  });
});
