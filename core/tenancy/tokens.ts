import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createLocalJWKSet,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { type Role, roles } from '../contracts/roles.js';
import { coreErrors } from '../errors/index.js';

/** Who is calling, as proven by a verified token. The tenant always comes from here. */
export interface Principal {
  readonly tenantId: string;
  readonly role: Role;
  /** The caller's own id: a student id for `student`, a teacher id for `teacher`, ... */
  readonly subject: string;
  readonly tokenId: string | undefined;
}

interface KeyFile {
  active_kid: string;
  keys: (JWK & { kid: string })[];
}

export const tokenIssuer = 'luca';
export const tokenAudience = 'luca-api';
const algorithm = 'ES256';
const clockToleranceSeconds = 30;

/**
 * ES256 signing keys with key ids, kept in `secrets/jwks.json`. Rotation adds a
 * key and makes it active; older keys keep verifying until they are retired.
 */
export class TokenKeys {
  readonly #file: string;
  #data: KeyFile;

  private constructor(file: string, data: KeyFile) {
    this.#file = file;
    this.#data = data;
  }

  static async load(secretsDir: string): Promise<TokenKeys> {
    const file = join(secretsDir, 'jwks.json');
    if (existsSync(file)) return new TokenKeys(file, JSON.parse(readFileSync(file, 'utf8')));

    mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
    const keys = new TokenKeys(file, { active_kid: '', keys: [] });
    await keys.rotate();

    return keys;
  }

  /** Adds a new key pair and makes it the one that signs. Returns its key id. */
  async rotate(): Promise<string> {
    const { privateKey } = await generateKeyPair(algorithm, { extractable: true });
    const kid = `k-${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`;
    const jwk = { ...(await exportJWK(privateKey)), kid, alg: algorithm, use: 'sig' };
    this.#data = { active_kid: kid, keys: [...this.#data.keys, jwk] };
    const tmp = `${this.#file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.#data, null, 2), { mode: 0o600 });
    renameSync(tmp, this.#file);

    return kid;
  }

  get activeKid(): string {
    return this.#data.active_kid;
  }

  /** Public halves only, as a JWKS document (safe to publish). */
  publicJwks(): { keys: JWK[] } {
    return { keys: this.#data.keys.map(({ d: _d, ...pub }) => pub) };
  }

  privateJwk(kid = this.activeKid): JWK {
    const jwk = this.#data.keys.find((key) => key.kid === kid);
    if (!jwk) throw new Error(`no signing key ${kid}`);

    return jwk;
  }
}

export interface MintOptions {
  tenantId: string;
  role: Role;
  subject: string;
  /** Lifetime in seconds; development tokens default to 12 hours. */
  ttlSeconds?: number;
}

/** Signs a token with the active key. */
export async function mintToken(keys: TokenKeys, options: MintOptions): Promise<string> {
  const key = await importJWK(keys.privateJwk(), algorithm);

  return new SignJWT({ tid: options.tenantId, role: options.role })
    .setProtectedHeader({ alg: algorithm, kid: keys.activeKid, typ: 'JWT' })
    .setIssuer(tokenIssuer)
    .setAudience(tokenAudience)
    .setSubject(options.subject)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime(`${options.ttlSeconds ?? 12 * 3600}s`)
    .sign(key);
}

export type TokenVerifier = (authorization: string | undefined) => Promise<Principal>;

function toPrincipal(payload: Record<string, unknown>): Principal {
  const { tid, role, sub, jti } = payload;
  if (typeof tid !== 'string' || typeof sub !== 'string' || !roles.includes(role as Role)) {
    throw coreErrors.create('AUTH_ERR_INVALID_TOKEN', 'Token lacks tid, sub or a known role.');
  }

  return { tenantId: tid, role: role as Role, subject: sub, tokenId: jti as string | undefined };
}

/**
 * Builds a verifier of `Authorization: Bearer <jwt>` headers against the public
 * keys: ES256 only (so `alg: none` and HMAC tricks fail), issuer, audience,
 * expiry with 30 s of clock tolerance.
 */
export function createTokenVerifier(keys: TokenKeys): TokenVerifier {
  const jwks = createLocalJWKSet(keys.publicJwks());

  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(
      authorization ?? '',
    );
    if (!match?.[1]) {
      throw coreErrors.create('AUTH_ERR_MISSING_TOKEN', 'Send Authorization: Bearer <token>.');
    }
    try {
      const { payload } = await jwtVerify(match[1], jwks, {
        algorithms: [algorithm],
        issuer: tokenIssuer,
        audience: tokenAudience,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      });

      return toPrincipal(payload);
    } catch (cause) {
      if (cause instanceof joseErrors.JWTExpired) {
        throw coreErrors.create('AUTH_ERR_TOKEN_EXPIRED', 'Token expired; get a new one.', {
          cause,
        });
      }
      if (cause instanceof Error && 'code' in cause && cause.code === 'AUTH_ERR_INVALID_TOKEN') {
        throw cause;
      }
      throw coreErrors.create('AUTH_ERR_INVALID_TOKEN', 'Token signature or claims are invalid.', {
        cause,
      });
    }
  };
}
