import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/index.js';

describe('contracts/gov-grades-api.yaml', () => {
  it('is identical to the shared contract when the shared copy is present', () => {
    const ours = readFileSync(join(repoRoot, 'contracts', 'gov-grades-api.yaml'), 'utf8');
    let shared: string;
    try {
      shared = readFileSync(
        join(repoRoot, '..', 'shared', 'contracts', 'gov-grades-api.yaml'),
        'utf8',
      );
    } catch {
      // A clone without ../shared beside it has only our copy; nothing to compare.
      expect(ours).toContain('openapi: 3.1.0');
      return;
    }

    expect(ours).toBe(shared);
  });
});
