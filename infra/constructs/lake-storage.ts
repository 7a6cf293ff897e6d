import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * Retention per zone of the lake, in days. Raw behaviour events live a school
 * year and a bit (the same 400 days the ingest API accepts late events for);
 * grades, cutoffs and audit are school records kept five years.
 */
export const lakeRetentionDays = {
  rawBehaviour: 400,
  rawGrade: 1_825,
  curated: 400,
  cutoffs: 1_825,
  audit: 1_825,
  landingErrors: 30,
  athenaResults: 30,
  noncurrentVersions: 30,
} as const;

export interface LakeStorageProps {
  /** `governance` lets a privileged role shorten the lock (tests, mistakes); production uses `compliance`. */
  auditLockMode?: 'governance' | 'compliance';
  removalPolicy?: RemovalPolicy;
}

function secureBucketProps(key: kms.IKey, removalPolicy: RemovalPolicy): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    removalPolicy,
  };
}

function expire(id: string, prefix: string, days: number): s3.LifecycleRule {
  return { id, prefix, expiration: Duration.days(days) };
}

const days = lakeRetentionDays;

/** Expiry per zone of the lake bucket, old versions and abandoned uploads. */
const lakeLifecycle: s3.LifecycleRule[] = [
  expire('raw-behaviour', 'raw/behaviour/', days.rawBehaviour),
  expire('raw-grade', 'raw/grade/', days.rawGrade),
  expire('curated', 'curated/', days.curated),
  expire('cutoffs', 'cutoffs/', days.cutoffs),
  expire('landing-errors', 'errors/', days.landingErrors),
  {
    id: 'noncurrent-and-uploads',
    noncurrentVersionExpiration: Duration.days(days.noncurrentVersions),
    abortIncompleteMultipartUploadAfter: Duration.days(7),
  },
];

/** Audit objects expire the day after their lock ends. */
const auditLifecycle: s3.LifecycleRule[] = [
  expire('audit', 'raw/audit/', days.audit + 1),
  expire('landing-errors', 'errors/', days.landingErrors),
  { id: 'noncurrent', noncurrentVersionExpiration: Duration.days(days.audit + 1) },
];

const resultsLifecycle: s3.LifecycleRule[] = [
  expire('results', '', days.athenaResults),
  { id: 'noncurrent', noncurrentVersionExpiration: Duration.days(1) },
];

/**
 * The encryption key and the buckets that hold student data: the lake (raw,
 * curated, cutoffs), the audit bucket (object-locked, append-only) and the
 * Athena results bucket. Every one is KMS-encrypted with the data key, blocks
 * public access, refuses plain HTTP and expires by zone.
 */
export class LakeStorage extends Construct {
  readonly dataKey: kms.Key;
  readonly lakeBucket: s3.Bucket;
  readonly auditBucket: s3.Bucket;
  readonly resultsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LakeStorageProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.dataKey = new kms.Key(this, 'DataKey', {
      description: 'luca student data: lake, audit, evaluations table, landing streams',
      enableKeyRotation: true,
      removalPolicy,
    });
    const secure = secureBucketProps(this.dataKey, removalPolicy);
    const lockDays = Duration.days(days.audit);

    this.lakeBucket = new s3.Bucket(this, 'LakeBucket', {
      ...secure,
      lifecycleRules: lakeLifecycle,
    });
    this.auditBucket = new s3.Bucket(this, 'AuditBucket', {
      ...secure,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.auditLockMode === 'compliance'
          ? s3.ObjectLockRetention.compliance(lockDays)
          : s3.ObjectLockRetention.governance(lockDays),
      lifecycleRules: auditLifecycle,
    });
    this.resultsBucket = new s3.Bucket(this, 'AthenaResultsBucket', {
      ...secure,
      lifecycleRules: resultsLifecycle,
    });
  }
}
