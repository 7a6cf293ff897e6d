import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/index.js';
import { auditErrors } from '../../serving/audit/index.js';
import { sessionErrors } from '../../serving/session/index.js';

describe('session and audit error codes in docs/errors.md', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'errors.md'), 'utf8');

  it.each([...Object.entries(sessionErrors.catalogue), ...Object.entries(auditErrors.catalogue)])(
    'documents %s with its status',
    (code, spec) => {
      // Assess
      expect(doc).toMatch(new RegExp(`\\| \`${code}\` \\| ${spec.status} \\|`));
    },
  );
});
