import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type EventFamily, eventTypes, familyOf } from '../../core/index.js';

/** `source` the ingest API publishes with (see `EventBridgeSink`). */
export const ingestEventSource = 'luca.ingest';

export interface IngestBusProps {
  key: kms.IKey;
  /** Landing stream per family routed from the bus (behaviour, audit). */
  targets: Partial<Record<EventFamily, firehose.CfnDeliveryStream>>;
}

/** The event types of a family, for a rule's `detail-type` match. */
export function detailTypesOf(family: EventFamily): string[] {
  return eventTypes.filter((type) => familyOf(type) === family);
}

/**
 * The ingest bus: the API publishes pseudonymised lake rows, one rule per
 * family hands `$.detail` (the row itself) to that family's landing stream.
 * Deliveries EventBridge cannot make after its retries go to an encrypted
 * dead-letter queue.
 */
export class IngestBus extends Construct {
  readonly bus: events.EventBus;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: IngestBusProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: 'luca-ingest', kmsKey: props.key });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    const role = new iam.Role(this, 'TargetRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    });

    for (const [family, stream] of Object.entries(props.targets)) {
      if (!stream) continue;
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
          resources: [stream.attrArn],
        }),
      );
      new events.CfnRule(this, `To-${family}`, {
        eventBusName: this.bus.eventBusName,
        description: `${family} events from the ingest API to their landing stream`,
        eventPattern: {
          source: [ingestEventSource],
          'detail-type': detailTypesOf(family as EventFamily),
        },
        targets: [
          {
            id: `${family}-landing`,
            arn: stream.attrArn,
            roleArn: role.roleArn,
            inputPath: '$.detail',
            deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
            retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
          },
        ],
      });
    }
    this.deadLetterQueue.grantSendMessages(new iam.ServicePrincipal('events.amazonaws.com'));
    props.key.grantEncryptDecrypt(new iam.ServicePrincipal('events.amazonaws.com'));
  }
}
