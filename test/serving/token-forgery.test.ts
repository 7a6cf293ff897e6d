import { createHmac, generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenAudience, tokenIssuer } from '../../core/index.js';
import { type SessionFixture, sessionFixture, students, tenantB } from './session-fixture.js';

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);

  return {
    iss: tokenIssuer,
    aud: tokenAudience,
    sub: 'u-caller',
    tid: 't-alpha',
    role: 'school_admin',
    iat: now,
    exp: now + 600,
    ...overrides,
  };
}

describe('token forgery on the session route', () => {
  let fx: SessionFixture;
  const url = `/v1/students/${students.own_group}/session`;
  const read = (authorization: string) => fx.app.inject({ url, headers: { authorization } });

  beforeAll(async () => {
    fx = await sessionFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it('rejects a token signed with another ES256 key', async () => {
    // Prepare
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'ES256', kid: fx.keys.activeKid })
      .sign(privateKey);

    // Act
    const res = await read(`Bearer ${forged}`);

    // Assess
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('AUTH_ERR_INVALID_TOKEN');
  });

  it('rejects alg none', async () => {
    // Prepare
    const forged = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`;

    // Act
    const res = await read(`Bearer ${forged}`);

    // Assess
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('AUTH_ERR_INVALID_TOKEN');
  });

  it('rejects HS256 signed with the public key as the secret', async () => {
    // Prepare
    const publicJwk = fx.keys.publicJwks().keys[0];
    const header = b64({ alg: 'HS256', typ: 'JWT', kid: fx.keys.activeKid });
    const body = b64(claims());
    const secret = JSON.stringify(publicJwk);
    const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');

    // Act
    const res = await read(`Bearer ${header}.${body}.${signature}`);

    // Assess
    expect(res.statusCode).toBe(401);
  });

  it('rejects an expired token beyond the clock tolerance', async () => {
    // Prepare
    const key = await import('jose').then((jose) => jose.importJWK(fx.keys.privateJwk(), 'ES256'));
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT(claims({ iat: now - 3600, exp: now - 120 }))
      .setProtectedHeader({ alg: 'ES256', kid: fx.keys.activeKid })
      .sign(key);

    // Act
    const res = await read(`Bearer ${expired}`);

    // Assess
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('AUTH_ERR_TOKEN_EXPIRED');
  });

  it('rejects a valid token whose tenant claim was edited', async () => {
    // Prepare
    const [header, , signature] = (await fx.token('school_admin')).split('.');
    const edited = `${header}.${b64(claims({ tid: tenantB }))}.${signature}`;

    // Act
    const res = await read(`Bearer ${edited}`);

    // Assess
    expect(res.statusCode).toBe(401);
  });

  it('answers 404 to a genuine token of another tenant', async () => {
    // Prepare
    const token = await fx.token('school_admin', { tenant: tenantB });

    // Act
    const res = await read(`Bearer ${token}`);

    // Assess
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('SESSION_ERR_STUDENT_NOT_FOUND');
  });

  it('rejects a missing or malformed authorization header', async () => {
    // Act
    const missing = await fx.app.inject({ url });
    const basic = await read('Basic dXNlcjpwYXNz');

    // Assess
    expect(missing.json().code).toBe('AUTH_ERR_MISSING_TOKEN');
    expect(basic.json().code).toBe('AUTH_ERR_MISSING_TOKEN');
  });

  it('keeps verifying tokens of a rotated-out key', async () => {
    // Prepare
    const oldToken = await fx.token('school_admin');
    await fx.keys.rotate();
    const { createTokenVerifier } = await import('../../core/index.js');

    // Act
    const principal = await createTokenVerifier(fx.keys)(`Bearer ${oldToken}`);

    // Assess
    expect(principal.role).toBe('school_admin');
    expect(
      await exportJWK(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey),
    ).toBeTruthy();
  });

  it('audits every refused token once, without a tenant', async () => {
    // Prepare
    const before = (await fx.auditRecords()).length;

    // Act
    await read('Bearer a.b.c');

    // Assess
    const records = (await fx.auditRecords()).slice(before);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ tenant_id: null, outcome: 'denied', http_status: 401 });
  });
});
