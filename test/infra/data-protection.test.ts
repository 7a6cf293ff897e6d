import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { lakeRetentionDays } from '../../infra/index.js';
import { resourcesOf, synthTemplate } from './stack-fixture.js';

let template: Template;

beforeAll(() => {
  template = synthTemplate();
});

type Rule = { Prefix?: string; ExpirationInDays?: number; Status: string };

function lifecycleRules(bucket: Record<string, unknown>): Rule[] {
  return (bucket.LifecycleConfiguration as { Rules: Rule[] }).Rules;
}

describe('LakeStorage', () => {
  it('encrypts every bucket with the customer key and blocks public access', () => {
    const buckets = resourcesOf(template, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(3);
    for (const bucket of buckets) {
      expect(bucket.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/DataKey/), 'Arn'] },
            },
          },
        ],
      });
      expect(bucket.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    }
  });

  it('refuses plain HTTP on every bucket', () => {
    const policies = resourcesOf(template, 'AWS::S3::BucketPolicy');
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('expires each lake zone after its retention', () => {
    const lake = resourcesOf(template, 'AWS::S3::Bucket').find((b) =>
      lifecycleRules(b).some((r) => r.Prefix === 'raw/behaviour/'),
    );
    const byPrefix = Object.fromEntries(
      lifecycleRules(lake ?? {}).map((rule) => [rule.Prefix ?? '', rule.ExpirationInDays]),
    );
    expect(byPrefix).toMatchObject({
      'raw/behaviour/': 400,
      'raw/grade/': lakeRetentionDays.rawGrade,
      'curated/': 400,
      'cutoffs/': lakeRetentionDays.cutoffs,
      'errors/': 30,
    });
  });

  it('locks audit objects for five years', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Days: 1_825, Mode: Match.anyValue() } },
      },
    });
  });

  it('rotates the data key', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});

describe('student data at rest', () => {
  it('encrypts the table, queues, secret, bus, pipe, Lambda environment and landing streams', () => {
    const key = { 'Fn::GetAtt': [expect.stringMatching(/DataKey/), 'Arn'] };
    for (const table of resourcesOf(template, 'AWS::DynamoDB::Table')) {
      expect(table.SSESpecification).toEqual({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: key,
      });
    }
    for (const queue of resourcesOf(template, 'AWS::SQS::Queue'))
      expect(queue.KmsMasterKeyId).toEqual(key);
    for (const secret of resourcesOf(template, 'AWS::SecretsManager::Secret'))
      expect(secret.KmsKeyId).toEqual(key);
    for (const bus of resourcesOf(template, 'AWS::Events::EventBus'))
      expect(bus.KmsKeyIdentifier).toEqual(key);
    for (const pipe of resourcesOf(template, 'AWS::Pipes::Pipe'))
      expect(pipe.KmsKeyIdentifier).toEqual(key);
    for (const fn of resourcesOf(template, 'AWS::Lambda::Function'))
      expect(fn.KmsKeyArn).toEqual(key);
    for (const stream of resourcesOf(template, 'AWS::KinesisFirehose::DeliveryStream')) {
      expect(stream.DeliveryStreamEncryptionConfigurationInput).toEqual({
        KeyType: 'CUSTOMER_MANAGED_CMK',
        KeyARN: key,
      });
    }
  });

  it('keeps every log group for a bounded time', () => {
    const groups = resourcesOf(template, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) expect(group.RetentionInDays).toBe(30);
  });
});
