import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { evaluationTable } from '../../pipelines/cloud/index.js';

/**
 * How the pipe reads the stream. Ordering is per item; a batch that cannot be
 * enriched is retried `maximumRetryAttempts` times and then sent, as stream
 * positions, to the dead-letter queue (stream records stay readable 24 hours).
 * No maximum record age is set: Pipes would discard older records.
 */
export const gradePipeSource = {
  batchSize: 100,
  maximumBatchingWindowInSeconds: 1,
  maximumRetryAttempts: 3,
} as const;

export interface GradePipeProps {
  table: dynamodb.ITable;
  target: firehose.CfnDeliveryStream;
  key: kms.IKey;
  /** The enrichment bundle (see `infra/enrichment-bundle.ts`). */
  enrichmentCode: lambda.Code;
}

/** Only evaluation items enter the pipe; roster items share the table. */
export const gradePipeFilter = {
  dynamodb: { Keys: { SK: { S: [{ prefix: evaluationTable.evaluationSortKeyPrefix }] } } },
};

/**
 * DynamoDB Streams → EventBridge Pipe → enrichment Lambda → Firehose: every
 * evaluation change becomes a pseudonymised grade event in the lake.
 */
export class GradePipe extends Construct {
  readonly pipe: pipes.CfnPipe;
  readonly enrichment: lambda.Function;
  readonly deadLetterQueue: sqs.Queue;
  readonly pseudonymSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: GradePipeProps) {
    super(scope, id);
    this.pseudonymSecret = this.#pseudonymKey(props.key);
    this.enrichment = this.#enrichmentFunction(props);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    const role = this.#pipeRole(props);

    this.pipe = new pipes.CfnPipe(this, 'Pipe', {
      name: 'luca-grade-events',
      description: 'evaluations table stream to the grade landing stream',
      roleArn: role.roleArn,
      kmsKeyIdentifier: props.key.keyArn,
      source: props.table.tableStreamArn as string,
      sourceParameters: {
        filterCriteria: { filters: [{ pattern: JSON.stringify(gradePipeFilter) }] },
        dynamoDbStreamParameters: {
          startingPosition: 'TRIM_HORIZON',
          ...gradePipeSource,
          onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        },
      },
      enrichment: this.enrichment.functionArn,
      target: props.target.attrArn,
    });
    this.pipe.node.addDependency(role);
  }

  #pseudonymKey(key: kms.IKey): secretsmanager.Secret {
    return new secretsmanager.Secret(this, 'PseudonymKey', {
      description: 'luca pseudonym master key (hex, 32 bytes)',
      encryptionKey: key,
      // 64 characters from 0-9a-f: a 32-byte key in hex, the format the local key file uses.
      generateSecretString: {
        passwordLength: 64,
        excludePunctuation: true,
        excludeUppercase: true,
        excludeCharacters: 'ghijklmnopqrstuvwxyz',
        includeSpace: false,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  #enrichmentFunction(props: GradePipeProps): lambda.Function {
    const fn = new lambda.Function(this, 'Enrichment', {
      runtime: lambda.Runtime.NODEJS_20_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: props.enrichmentCode,
      memorySize: 512,
      timeout: Duration.seconds(30),
      environment: {
        LUCA_PSEUDONYM_SECRET_ID: this.pseudonymSecret.secretArn,
        LUCA_LOG_LEVEL: 'info',
        NODE_OPTIONS: '--enable-source-maps',
      },
      environmentEncryption: props.key,
      paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(
        lambda.ParamsAndSecretsVersions.V1_0_103,
        { cacheEnabled: true, secretsManagerTtl: Duration.minutes(5) },
      ),
      logGroup: new logs.LogGroup(this, 'EnrichmentLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    this.pseudonymSecret.grantRead(fn);

    return fn;
  }

  #pipeRole(props: GradePipeProps): iam.Role {
    const role = new iam.Role(this, 'PipeRole', {
      assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com'),
    });
    props.table.grantStreamRead(role);
    props.key.grantEncryptDecrypt(role);
    this.enrichment.grantInvoke(role);
    this.deadLetterQueue.grantSendMessages(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
        resources: [props.target.attrArn],
      }),
    );

    return role;
  }
}
