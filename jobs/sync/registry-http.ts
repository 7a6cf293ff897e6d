import { Agent, request } from 'undici';

/** What one HTTP call to the registry came back with. */
export type HttpOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly retryAfterSeconds: number | null;
      readonly isReplayed: boolean;
      readonly body: unknown;
      readonly latencyMs: number;
    }
  | {
      readonly kind: 'network_error';
      readonly isTimeout: boolean;
      readonly error: string;
      readonly latencyMs: number;
    };

export interface RegistryHttpOptions {
  readonly baseUrl: string;
  /** Per request: no answer within this time counts as a hang. */
  readonly timeoutMs: number;
  /** Sockets to the registry; at least the requests that may be in flight at once. */
  readonly connections?: number;
}

export interface HttpCall {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  /** Aborts the call early (e.g. an adaptive timeout); the client's own timeout still applies. */
  readonly signal?: AbortSignal;
}

function parseRetryAfter(value: string | string[] | undefined): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(raw);

  return Number.isNaN(at) ? null : Math.max(0, (at - Date.now()) / 1000);
}

function bodyOf(call: HttpCall): { body?: string; contentType?: string } {
  if (call.form) {
    return {
      body: new URLSearchParams(call.form).toString(),
      contentType: 'application/x-www-form-urlencoded',
    };
  }
  if (call.json !== undefined)
    return { body: JSON.stringify(call.json), contentType: 'application/json' };

  return {};
}

/**
 * A thin HTTP layer over undici for the registry contract: never throws for
 * network trouble, it returns a `network_error` outcome the caller classifies.
 */
export class RegistryHttp {
  readonly #agent: Agent;
  readonly #options: RegistryHttpOptions;

  constructor(options: RegistryHttpOptions) {
    this.#options = options;
    this.#agent = new Agent({
      connections: options.connections ?? 64,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 4_000,
    });
  }

  async send(call: HttpCall, preparedBody?: string): Promise<HttpOutcome> {
    const started = performance.now();
    const { body, contentType } = preparedBody
      ? { body: preparedBody, contentType: 'application/json' }
      : bodyOf(call);
    const headers: Record<string, string> = { ...call.headers };
    if (contentType) headers['content-type'] = contentType;
    try {
      const response = await request(new URL(call.path, this.#options.baseUrl), {
        method: call.method,
        headers,
        body,
        dispatcher: this.#agent,
        signal: this.#signalFor(call),
      });
      const text = await response.body.text();

      return {
        kind: 'response',
        status: response.statusCode,
        retryAfterSeconds: parseRetryAfter(response.headers['retry-after']),
        isReplayed: response.headers['idempotent-replayed'] === 'true',
        body: text ? safeJson(text) : null,
        latencyMs: performance.now() - started,
      };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      // undici errors carry a string code; a DOMException (the abort) a legacy number.
      const raw = (error as { code?: unknown }).code;
      const code = typeof raw === 'string' ? raw : error.name;

      return {
        kind: 'network_error',
        isTimeout: /timeout/i.test(code) || error.name === 'TimeoutError',
        error: code,
        latencyMs: performance.now() - started,
      };
    }
  }

  #signalFor(call: HttpCall): AbortSignal {
    const timeout = AbortSignal.timeout(this.#options.timeoutMs);

    return call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  }

  async close(): Promise<void> {
    await this.#agent.destroy();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: 'unparseable', message: text.slice(0, 200) };
  }
}
