import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractJsonSchemas, eventTypes, repoRoot } from '../../core/index.js';

describe('contract JSON Schemas in docs/schemas', () => {
  const dir = join(repoRoot, 'docs', 'schemas');

  it('match what the zod contracts generate (run `npx luca contracts export` after a change)', () => {
    const generated = contractJsonSchemas();

    for (const [name, document] of Object.entries(generated)) {
      const onDisk = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      expect(onDisk, name).toEqual(JSON.parse(JSON.stringify(document)));
    }
    expect(readdirSync(dir).sort()).toEqual(Object.keys(generated).sort());
  });

  it('cover every event type in the catalogue', () => {
    const names = Object.keys(contractJsonSchemas());

    for (const type of eventTypes) expect(names).toContain(`${type}.v1.schema.json`);
  });
});
