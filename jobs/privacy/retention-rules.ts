/**
 * Days each part of the lake is kept, the same numbers the S3 lifecycle rules
 * use in the cloud (`infra/constructs/lake-storage.ts`'s `lakeRetentionDays`;
 * a test keeps the two equal). Kept here so the local job does not load the CDK.
 */
export const retentionDays = {
  rawBehaviour: 400,
  rawGrade: 1_825,
  audit: 1_825,
  curated: 400,
} as const;

/** Dedup ids the landing buffer keeps, as the lander prunes them (7 days). */
export const bufferDedupDays = 7;

/** Retention in days of a raw family's partitions. */
export function rawFamilyDays(family: string): number | undefined {
  const byFamily: Record<string, number> = {
    behaviour: retentionDays.rawBehaviour,
    grade: retentionDays.rawGrade,
    audit: retentionDays.audit,
  };

  return byFamily[family];
}
