import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../../core/index.js';
import { gradesStoreErrors } from '../../../../jobs/grades/store/index.js';

describe('grades store error codes in docs/errors.md', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'errors.md'), 'utf8');

  it.each(Object.entries(gradesStoreErrors.catalogue))(
    'documents %s with its status',
    (code, spec) => {
      expect(doc).toMatch(new RegExp(`\\| \`${code}\` \\| ${spec.status} \\|`));
    },
  );
});
