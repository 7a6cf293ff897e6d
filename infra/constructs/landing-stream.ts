import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EventFamily } from '../../core/index.js';
import { athenaDatabase, rawTableName } from '../../pipelines/cloud/index.js';

/**
 * Buffering of a landing stream. Dynamic partitioning needs at least 64 MiB;
 * one file per partition per flush, so a longer interval means fewer, larger
 * Parquet files per tenant and day.
 */
export const landingBuffering = { sizeInMBs: 128, intervalInSeconds: 300 } as const;

export interface LandingStreamProps {
  family: EventFamily;
  bucket: s3.IBucket;
  key: kms.IKey;
  table: glue.CfnTable;
}

/** The Hive layout of `core/contracts/lake-layout.ts`, with Firehose's partition keys. */
export function landingPrefix(family: EventFamily): string {
  return `raw/${family}/tenant_id=!{partitionKeyFromQuery:tenant_id}/event_date=!{partitionKeyFromQuery:event_date}/`;
}

/**
 * An Amazon Data Firehose stream that lands one raw family as the lake does
 * locally: JSON lake rows in, Parquet out (schema from the Glue table),
 * partitioned by `tenant_id` and `event_date` read from each record, records
 * that fail conversion or partitioning under `errors/<family>/`.
 */
export class LandingStream extends Construct {
  readonly stream: firehose.CfnDeliveryStream;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: LandingStreamProps) {
    super(scope, id);
    const { family } = props;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com'),
    });
    props.bucket.grantReadWrite(this.role, `raw/${family}/*`);
    props.bucket.grantReadWrite(this.role, `errors/${family}/*`);
    props.key.grantEncryptDecrypt(this.role);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
        resources: [
          `arn:${Aws.PARTITION}:glue:${Aws.REGION}:${Aws.ACCOUNT_ID}:catalog`,
          `arn:${Aws.PARTITION}:glue:${Aws.REGION}:${Aws.ACCOUNT_ID}:database/${athenaDatabase}`,
          `arn:${Aws.PARTITION}:glue:${Aws.REGION}:${Aws.ACCOUNT_ID}:table/${athenaDatabase}/${rawTableName(family)}`,
        ],
      }),
    );
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logStream = logGroup.addStream('S3Delivery');
    logGroup.grantWrite(this.role);

    this.stream = new firehose.CfnDeliveryStream(this, 'Stream', {
      deliveryStreamName: `luca-${family}-events`,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: {
        keyType: 'CUSTOMER_MANAGED_CMK',
        keyArn: props.key.keyArn,
      },
      extendedS3DestinationConfiguration: this.#destination(props, logGroup, logStream),
    });
    this.stream.node.addDependency(this.role);
    this.stream.node.addDependency(props.table);
  }

  #destination(
    props: LandingStreamProps,
    logGroup: logs.LogGroup,
    logStream: logs.LogStream,
  ): firehose.CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty {
    const { family } = props;

    return {
      bucketArn: props.bucket.bucketArn,
      roleArn: this.role.roleArn,
      prefix: landingPrefix(family),
      errorOutputPrefix: `errors/${family}/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/`,
      bufferingHints: landingBuffering,
      // Format conversion compresses inside Parquet; the S3 object itself must stay uncompressed.
      compressionFormat: 'UNCOMPRESSED',
      encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.key.keyArn } },
      cloudWatchLoggingOptions: {
        enabled: true,
        logGroupName: logGroup.logGroupName,
        logStreamName: logStream.logStreamName,
      },
      dynamicPartitioningConfiguration: {
        enabled: true,
        retryOptions: { durationInSeconds: Duration.minutes(5).toSeconds() },
      },
      processingConfiguration: {
        enabled: true,
        processors: [
          {
            type: 'MetadataExtraction',
            parameters: [
              {
                parameterName: 'MetadataExtractionQuery',
                parameterValue: '{tenant_id: .tenant_id, event_date: .event_date}',
              },
              { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
            ],
          },
        ],
      },
      dataFormatConversionConfiguration: {
        enabled: true,
        inputFormatConfiguration: { deserializer: { openXJsonSerDe: {} } },
        outputFormatConfiguration: { serializer: { parquetSerDe: { compression: 'SNAPPY' } } },
        schemaConfiguration: {
          catalogId: Aws.ACCOUNT_ID,
          databaseName: athenaDatabase,
          tableName: rawTableName(family),
          region: Aws.REGION,
          roleArn: this.role.roleArn,
          versionId: 'LATEST',
        },
      },
    };
  }
}
