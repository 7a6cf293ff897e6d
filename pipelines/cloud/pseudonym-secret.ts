import { Pseudonymizer } from '../../core/index.js';
import { cloudErrors } from './cloud-errors.js';

export interface SecretsExtensionOptions {
  /** Name or ARN of the Secrets Manager secret holding the master key as hex. */
  secretId: string;
  /** Port of the AWS Parameters and Secrets Lambda Extension (default 2773). */
  port?: number;
  /** Injected for tests; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Session token that authorises the call; defaults to `AWS_SESSION_TOKEN`. */
  sessionToken?: string;
}

/**
 * Loads the pseudonym master key from Secrets Manager through the AWS
 * Parameters and Secrets Lambda Extension (a local HTTP endpoint that caches
 * the secret), so the Lambda bundle needs no Secrets Manager SDK client.
 * The secret's string is the hex master key, the same format as the local
 * `secrets/pseudonym.key`, so lake pseudonyms match between the two paths.
 */
export async function loadPseudonymizerFromSecretsExtension(
  options: SecretsExtensionOptions,
): Promise<Pseudonymizer> {
  const doFetch = options.fetch ?? fetch;
  const port = options.port ?? 2773;
  const url = `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(options.secretId)}`;
  const token = options.sessionToken ?? process.env.AWS_SESSION_TOKEN ?? '';

  let secretString: unknown;
  try {
    const response = await doFetch(url, {
      headers: { 'X-Aws-Parameters-Secrets-Token': token },
    });
    if (!response.ok) throw new Error(`secrets extension answered ${response.status}`);
    secretString = ((await response.json()) as { SecretString?: unknown }).SecretString;
  } catch (cause) {
    throw cloudErrors.create(
      'CLOUD_ERR_SECRET_UNAVAILABLE',
      'cannot read the pseudonym key; check the secrets extension layer and the secret policy',
      { cause },
    );
  }
  if (typeof secretString !== 'string' || !/^[0-9a-f]{64,}$/i.test(secretString.trim())) {
    throw cloudErrors.create(
      'CLOUD_ERR_SECRET_UNAVAILABLE',
      'the pseudonym secret must be a hex string of at least 32 bytes',
    );
  }

  return new Pseudonymizer(Buffer.from(secretString.trim(), 'hex'));
}
