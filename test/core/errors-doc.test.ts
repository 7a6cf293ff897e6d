import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registeredCatalogues, repoRoot } from '../../core/index.js';

/** Every area's surface, imported so its error catalogue registers itself. */
const areas = [
  '../../pipelines/index.js',
  '../../pipelines/seed/index.js',
  '../../pipelines/cloud/index.js',
  '../../jobs/engine/index.js',
  '../../jobs/grades/index.js',
  '../../jobs/grades/store/index.js',
  '../../jobs/features/index.js',
  '../../jobs/publish/index.js',
  '../../jobs/realtime/index.js',
  '../../jobs/cutoff/index.js',
  '../../jobs/sync/index.js',
  '../../jobs/govsim/index.js',
  '../../jobs/privacy/index.js',
  '../../jobs/compaction/index.js',
  '../../serving/index.js',
];

describe('docs/errors.md', () => {
  it('lists exactly the codes every catalogue declares, with the same HTTP status', async () => {
    for (const area of areas) await import(area);
    const doc = readFileSync(join(repoRoot, 'docs', 'errors.md'), 'utf8');
    const documented = new Map<string, number>();
    for (const match of doc.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (\d{3}) \|/gm)) {
      documented.set(match[1] as string, Number(match[2]));
    }

    const declared = new Map<string, number>();
    for (const catalogue of registeredCatalogues().values()) {
      for (const [code, spec] of Object.entries(catalogue)) declared.set(code, spec.status);
    }

    expect([...declared.keys()].filter((code) => !documented.has(code))).toEqual([]);
    expect([...documented.keys()].filter((code) => !declared.has(code))).toEqual([]);
    for (const [code, status] of declared) expect(documented.get(code), code).toBe(status);
  });
});
