import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every piece of local state lives under one data directory: `--data-dir`, else
 * `LUCA_DATA_DIR`, else `.luca/` in the working directory.
 */
export interface DataPaths {
  readonly root: string;
  /** The local lake (same layout as the S3 bucket). */
  readonly lake: string;
  /** Durable landing buffer (the local stand-in for Firehose). */
  readonly buffer: string;
  /** Signing keys, pseudonym keys and the registry credentials file. */
  readonly secrets: string;
  /** Embedded stores: roster, evaluations, sync ledger, audit. */
  readonly state: string;
}

export function resolveDataDir(explicit?: string): string {
  return resolve(explicit ?? process.env.LUCA_DATA_DIR ?? '.luca');
}

export function dataPaths(explicit?: string): DataPaths {
  const root = resolveDataDir(explicit);

  return {
    root,
    lake: join(root, 'lake'),
    buffer: join(root, 'buffer'),
    secrets: join(root, 'secrets'),
    state: join(root, 'state'),
  };
}

/** Creates the data directory tree if it does not exist yet and returns its paths. */
export function ensureDataPaths(explicit?: string): DataPaths {
  const paths = dataPaths(explicit);
  for (const dir of [paths.root, paths.lake, paths.buffer, paths.secrets, paths.state]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  return paths;
}

/** Absolute path of the repository root (where `sql/` and `docs/` live). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of a SQL model under `sql/`. */
export function sqlPath(...parts: string[]): string {
  return join(repoRoot, 'sql', ...parts);
}
