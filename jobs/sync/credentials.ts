import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syncErrors } from './errors.js';
import type { RegistryCredential } from './token-provider.js';

/** `{ "<CCT>": { client_id, client_secret } }`, one entry per school. */
export type RegistryCredentials = Readonly<Record<string, RegistryCredential>>;

export function credentialsFile(secretsDir: string): string {
  return join(secretsDir, 'registry-credentials.json');
}

/**
 * Reads the schools' registry credentials. Locally a file under the secrets
 * directory; in the cloud the same shape comes from Secrets Manager.
 */
export function loadRegistryCredentials(secretsDir: string): RegistryCredentials {
  const file = credentialsFile(secretsDir);
  if (!existsSync(file)) return {};

  return JSON.parse(readFileSync(file, 'utf8')) as RegistryCredentials;
}

/** Adds a random secret for every CCT that has none yet (demo and tests); returns them all. */
export function ensureRegistryCredentials(
  secretsDir: string,
  ccts: readonly string[],
): RegistryCredentials {
  const current = { ...loadRegistryCredentials(secretsDir) };
  let changed = false;
  for (const cct of ccts) {
    if (current[cct]) continue;
    current[cct] = { client_id: cct, client_secret: randomBytes(18).toString('base64url') };
    changed = true;
  }
  if (changed)
    writeFileSync(credentialsFile(secretsDir), `${JSON.stringify(current, null, 2)}\n`, {
      mode: 0o600,
    });

  return current;
}

export function credentialFor(credentials: RegistryCredentials, cct: string): RegistryCredential {
  const credential = credentials[cct];
  if (!credential) {
    throw syncErrors.create(
      'SYNC_ERR_NO_CREDENTIALS',
      `No registry credentials for ${cct}; add it to secrets/registry-credentials.json.`,
    );
  }

  return credential;
}

/** The simulator's view: client_id to client_secret. */
export function simulatorCredentials(credentials: RegistryCredentials): Record<string, string> {
  return Object.fromEntries(Object.values(credentials).map((c) => [c.client_id, c.client_secret]));
}
