import { relative } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventFamilies, rawEventColumns, rawPartitionDir } from '../../core/index.js';
import {
  bytesScannedCutoffPerQuery,
  detailTypesOf,
  gradePipeFilter,
  landingPrefix,
  maxDataFreshnessSeconds,
} from '../../infra/index.js';
import { type CfnJson, resourcesOf, synthTemplate } from './stack-fixture.js';

let template: Template;

beforeAll(() => {
  template = synthTemplate();
});

function logicalIdOf(type: string, pattern: RegExp): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => pattern.test(id));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} matching ${pattern}, got ${ids.join(', ')}`);

  return ids[0] as string;
}

describe('EvaluationsTable', () => {
  it('keys items by PK and SK and streams both images with PITR and TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      DeletionProtectionEnabled: true,
    });
  });
});

describe('LandingStream', () => {
  it('lands each family under the local Hive layout, as Parquet from the Glue schema', () => {
    for (const family of eventFamilies) {
      // Prepare
      const stream = resourcesOf(template, 'AWS::KinesisFirehose::DeliveryStream').find(
        (s) => s.DeliveryStreamName === `luca-${family}-events`,
      );
      const destination = stream?.ExtendedS3DestinationConfiguration as CfnJson;
      const local = relative('/lake', rawPartitionDir('/lake', family, 't-1', '2026-10-05'));

      // Act
      const landed = String(destination.Prefix)
        .replace('!{partitionKeyFromQuery:tenant_id}', 't-1')
        .replace('!{partitionKeyFromQuery:event_date}', '2026-10-05');

      // Assess
      expect(destination.Prefix).toBe(landingPrefix(family));
      expect(landed).toBe(`${local}/`);
      expect(destination.ErrorOutputPrefix).toMatch(new RegExp(`^errors/${family}/`));
      expect(destination.DynamicPartitioningConfiguration.Enabled).toBe(true);
      expect(destination.BufferingHints.SizeInMBs).toBeGreaterThanOrEqual(64);
      expect(destination.ProcessingConfiguration.Processors[0].Parameters).toContainEqual({
        ParameterName: 'MetadataExtractionQuery',
        ParameterValue: '{tenant_id: .tenant_id, event_date: .event_date}',
      });
      expect(destination.DataFormatConversionConfiguration).toMatchObject({
        Enabled: true,
        OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
        SchemaConfiguration: { DatabaseName: 'luca_lake', TableName: `raw_${family}_events` },
      });
    }
  });
});

describe('LakeCatalog', () => {
  it('declares the raw tables with the core columns and projected partitions', () => {
    const tables = resourcesOf(template, 'AWS::Glue::Table');
    expect(tables).toHaveLength(3);
    for (const table of tables) {
      const input = table.TableInput as CfnJson;
      expect(input.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual([
        ...rawEventColumns,
      ]);
      expect(input.PartitionKeys).toEqual([
        { Name: 'tenant_id', Type: 'string' },
        { Name: 'event_date', Type: 'date' },
      ]);
      expect(input.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.tenant_id.type': 'injected',
        'projection.event_date.format': 'yyyy-MM-dd',
      });
      const template = JSON.stringify(input.Parameters['storage.location.template']);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's projection syntax
      expect(template).toContain('tenant_id=${tenant_id}/event_date=${event_date}/');
    }
  });

  it('runs jobs in a workgroup with KMS-encrypted results and a scan limit', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: bytesScannedCutoffPerQuery,
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS' } },
      },
    });
  });
});

describe('GradePipe', () => {
  it('reads the table stream, enriches with the Lambda and targets the grade stream', () => {
    const table = logicalIdOf('AWS::DynamoDB::Table', /Evaluations/);
    const fn = logicalIdOf('AWS::Lambda::Function', /Enrichment/);
    const grade = logicalIdOf('AWS::KinesisFirehose::DeliveryStream', /Landinggrade/);
    const queue = logicalIdOf('AWS::SQS::Queue', /GradePipe/);

    template.hasResourceProperties('AWS::Pipes::Pipe', {
      Source: { 'Fn::GetAtt': [table, 'StreamArn'] },
      Enrichment: { 'Fn::GetAtt': [fn, 'Arn'] },
      Target: { 'Fn::GetAtt': [grade, 'Arn'] },
      SourceParameters: {
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify(gradePipeFilter) }] },
        DynamoDBStreamParameters: {
          StartingPosition: 'TRIM_HORIZON',
          MaximumRetryAttempts: 3,
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        },
      },
    });
  });

  it('gives the enrichment the secret id and the secrets extension layer', () => {
    const secret = logicalIdOf('AWS::SecretsManager::Secret', /PseudonymKey/);
    const [fn] = resourcesOf(template, 'AWS::Lambda::Function');
    expect(fn?.Environment).toMatchObject({
      Variables: { LUCA_PSEUDONYM_SECRET_ID: { Ref: secret } },
    });
    expect(JSON.stringify(fn?.Layers)).toContain('AWS-Parameters-and-Secrets-Lambda-Extension');
  });
});

describe('IngestBus', () => {
  it('routes behaviour and audit rows from the bus to their streams with $.detail', () => {
    for (const family of ['behaviour', 'audit'] as const) {
      const stream = logicalIdOf(
        'AWS::KinesisFirehose::DeliveryStream',
        new RegExp(`Landing${family}`),
      );
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['luca.ingest'], 'detail-type': detailTypesOf(family) },
        Targets: [{ Arn: { 'Fn::GetAtt': [stream, 'Arn'] }, InputPath: '$.detail' }],
      });
    }
    expect(detailTypesOf('behaviour')).toContain('quiz.answered');
    expect(detailTypesOf('behaviour')).not.toContain('evaluation.recorded');
  });
});

describe('SessionApiRole', () => {
  it('confines items to the caller tenant through dynamodb:LeadingKeys', () => {
    const statements = resourcesOf(template, 'AWS::IAM::Policy').flatMap(
      (policy) => (policy.PolicyDocument as { Statement: CfnJson[] }).Statement,
    );
    const scoped = statements.find((s) => s.Sid === 'TenantScopedItems');
    expect(scoped?.Condition).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['T#${aws:PrincipalTag/tenant_id}#*'] },
      Null: { 'dynamodb:LeadingKeys': 'false', 'aws:PrincipalTag/tenant_id': 'false' },
    });
    expect(scoped?.Action).not.toContain('dynamodb:Scan');
    expect(JSON.stringify(statements)).not.toContain('dynamodb:Scan');
  });

  it('must be assumed with session tags', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'luca session API: tenant-scoped access to the evaluations table',
      AssumeRolePolicyDocument: {
        Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      },
    });
  });
});

describe('PipelineAlarms', () => {
  it('alarms on any dead letter and on a stale lake, to an encrypted topic', () => {
    // Prepare
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
    const topic = logicalIdOf('AWS::SNS::Topic', /Alarms/);

    // Assess
    const deadLetters = alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    const freshness = alarms.filter((a) => a.MetricName === 'DeliveryToS3.DataFreshness');
    expect(deadLetters).toHaveLength(2);
    expect(freshness).toHaveLength(3);
    for (const alarm of deadLetters) {
      expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
    for (const alarm of freshness) expect(alarm.Threshold).toBe(maxDataFreshnessSeconds);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DataKey'), 'Arn'] },
    });
  });
});
