import type { Logger } from '../../core/index.js';
import { syncErrors } from './errors.js';
import type { RegistryHttp } from './registry-http.js';
import { type BackoffOptions, fullJitterDelay } from './retry-policy.js';
import { sleep } from './token-bucket.js';

/** A school's registry credential (client_id is the school's CCT). */
export interface RegistryCredential {
  readonly client_id: string;
  readonly client_secret: string;
}

interface CachedToken {
  readonly value: string;
  readonly refreshAt: number;
}

/**
 * Holds one school's access token: fetches it on first use, again shortly
 * before `expires_in` runs out, and at once when the registry answers
 * `token_expired`. Concurrent callers share one fetch.
 */
export class TokenProvider {
  readonly #http: RegistryHttp;
  readonly #credential: RegistryCredential;
  readonly #backoff: BackoffOptions;
  readonly #logger: Logger;
  #cached: CachedToken | undefined;
  #pending: Promise<string> | undefined;

  constructor(
    http: RegistryHttp,
    credential: RegistryCredential,
    backoff: BackoffOptions,
    logger: Logger,
  ) {
    this.#http = http;
    this.#credential = credential;
    this.#backoff = backoff;
    this.#logger = logger;
  }

  async get(): Promise<string> {
    if (this.#cached && Date.now() < this.#cached.refreshAt) return this.#cached.value;
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });

    return this.#pending;
  }

  /** Forgets `token` if it is the cached one (another caller may have refreshed it already). */
  invalidate(token: string): void {
    if (this.#cached?.value === token) this.#cached = undefined;
  }

  async #fetch(): Promise<string> {
    for (let failures = 1; ; failures += 1) {
      const outcome = await this.#http.send({
        method: 'POST',
        path: '/oauth/token',
        form: {
          grant_type: 'client_credentials',
          client_id: this.#credential.client_id,
          client_secret: this.#credential.client_secret,
        },
      });
      if (outcome.kind === 'response' && outcome.status === 200) {
        const body = outcome.body as { access_token: string; expires_in: number };
        const lifetimeMs = body.expires_in * 1000;
        this.#cached = { value: body.access_token, refreshAt: Date.now() + lifetimeMs * 0.9 };
        this.#logger.info(
          { cct: this.#credential.client_id, expires_in: body.expires_in },
          'token fetched',
        );

        return body.access_token;
      }
      if (outcome.kind === 'response' && (outcome.status === 401 || outcome.status === 400)) {
        throw syncErrors.create(
          'SYNC_ERR_CREDENTIALS_REJECTED',
          `The registry rejected the credentials of ${this.#credential.client_id}; fix secrets/registry-credentials.json.`,
        );
      }
      const waitMs =
        outcome.kind === 'response' && outcome.retryAfterSeconds !== null
          ? outcome.retryAfterSeconds * 1000
          : fullJitterDelay(failures, this.#backoff);
      this.#logger.warn(
        { cct: this.#credential.client_id, wait_ms: Math.round(waitMs) },
        'token fetch failed',
      );
      await sleep(waitMs);
    }
  }
}
