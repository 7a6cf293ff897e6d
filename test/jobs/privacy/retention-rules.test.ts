import { describe, expect, it } from 'vitest';
import { lakeRetentionDays } from '../../../infra/index.js';
import { retentionDays } from '../../../jobs/privacy/index.js';

describe('retentionDays', () => {
  it('uses the same numbers as the S3 lifecycle rules', () => {
    expect(retentionDays).toEqual({
      rawBehaviour: lakeRetentionDays.rawBehaviour,
      rawGrade: lakeRetentionDays.rawGrade,
      audit: lakeRetentionDays.audit,
      curated: lakeRetentionDays.curated,
    });
  });
});
