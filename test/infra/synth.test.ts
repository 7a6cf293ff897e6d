import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { synthLucaStack } from '../../infra/index.js';

describe('synthLucaStack', () => {
  it('synthesises offline and counts the resources by type', () => {
    // Act
    const summary = synthLucaStack({
      enrichmentCode: lambda.Code.fromInline('export const handler = async () => [];'),
    });

    // Assess
    expect(summary.stack).toBe('LucaLakehouse');
    expect(summary.resourceCounts).toMatchObject({
      'AWS::DynamoDB::Table': 1,
      'AWS::Pipes::Pipe': 1,
      'AWS::KinesisFirehose::DeliveryStream': 3,
      'AWS::Glue::Table': 3,
      'AWS::S3::Bucket': 3,
      'AWS::Athena::WorkGroup': 1,
    });
    const counted = Object.values(summary.resourceCounts).reduce((sum, n) => sum + n, 0);
    expect(summary.resources).toBe(counted);
    expect(Object.keys(summary.template.Resources as object)).toHaveLength(counted);
  });
});
