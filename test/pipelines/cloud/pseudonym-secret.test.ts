import { describe, expect, it } from 'vitest';
import { isLucaError, Pseudonymizer } from '../../../core/index.js';
import { loadPseudonymizerFromSecretsExtension } from '../../../pipelines/cloud/index.js';

const keyHex = 'ab'.repeat(32);

function fakeFetch(status: number, body: unknown, seen: { url?: string; token?: string }) {
  return (async (url: string, init?: RequestInit) => {
    seen.url = url;
    seen.token = ((init?.headers ?? {}) as Record<string, string>)[
      'X-Aws-Parameters-Secrets-Token'
    ];
    return new Response(JSON.stringify(body), { status });
  }) as typeof fetch;
}

describe('loadPseudonymizerFromSecretsExtension', () => {
  it('reads the hex key through the extension with the session token', async () => {
    // Prepare
    const seen: { url?: string; token?: string } = {};

    // Act
    const loaded = await loadPseudonymizerFromSecretsExtension({
      secretId: 'luca/pseudonym key',
      sessionToken: 'session-token',
      fetch: fakeFetch(200, { SecretString: keyHex }, seen),
    });

    // Assess
    expect(seen.url).toBe(
      'http://localhost:2773/secretsmanager/get?secretId=luca%2Fpseudonym%20key',
    );
    expect(seen.token).toBe('session-token');
    const local = new Pseudonymizer(Buffer.from(keyHex, 'hex'));
    expect(loaded.pseudonym('t-a', 'stu-1')).toBe(local.pseudonym('t-a', 'stu-1'));
  });

  it('fails with CLOUD_ERR_SECRET_UNAVAILABLE when the extension refuses', async () => {
    // Act
    const error = await loadPseudonymizerFromSecretsExtension({
      secretId: 'x',
      fetch: fakeFetch(403, {}, {}),
    }).catch((err: unknown) => err);

    // Assess
    expect(isLucaError(error) && error.code).toBe('CLOUD_ERR_SECRET_UNAVAILABLE');
  });

  it('rejects a secret shorter than 32 bytes', async () => {
    // Act
    const error = await loadPseudonymizerFromSecretsExtension({
      secretId: 'x',
      fetch: fakeFetch(200, { SecretString: 'abcd' }, {}),
    }).catch((err: unknown) => err);

    // Assess
    expect(isLucaError(error) && error.code).toBe('CLOUD_ERR_SECRET_UNAVAILABLE');
  });
});
