import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  disengagementRule,
  featureById,
  featureCatalogue,
  featuresDocPath,
  renderFeaturesDoc,
} from '../../../jobs/features/index.js';
import { sqlPath } from '../../../core/index.js';

describe('feature catalogue', () => {
  it('matches docs/features.md (regenerate with npx tsx jobs/features/features-doc.ts)', () => {
    // Prepare
    const onDisk = readFileSync(featuresDocPath, 'utf8');

    // Act
    const generated = renderFeaturesDoc();

    // Assess
    expect(onDisk).toBe(generated);
  });

  it('points every feature at a model file that emits its id', () => {
    for (const entry of featureCatalogue) {
      const sql = readFileSync(sqlPath(entry.model), 'utf8');
      expect(sql, entry.id).toContain(`'${entry.id}' as feature_id`);
    }
  });

  it('names only catalogued features in the disengagement rule', () => {
    const ids = disengagementRule.clauses.flatMap((clause) =>
      clause.conditions.map((condition) => condition.feature_id),
    );
    for (const id of ids) expect(featureById(id), id).toBeDefined();
  });
});
