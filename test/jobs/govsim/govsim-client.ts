import { request } from 'undici';

/** A tiny HTTP helper for simulator tests. */
export async function call(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  options: { token?: string; key?: string; json?: unknown; form?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.key) headers['idempotency-key'] = options.key;
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await request(new URL(path, baseUrl), { method, headers, body });
  const text = await response.body.text();

  return {
    status: response.statusCode,
    headers: response.headers,
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary contract bodies.
    body: text ? (JSON.parse(text) as Record<string, any>) : {},
  };
}

export async function tokenFor(baseUrl: string, cct: string, secret: string): Promise<string> {
  const answer = await call(baseUrl, 'POST', '/oauth/token', {
    form: { grant_type: 'client_credentials', client_id: cct, client_secret: secret },
  });

  return answer.body.access_token as string;
}
