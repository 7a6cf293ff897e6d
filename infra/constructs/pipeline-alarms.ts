import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { landingBuffering } from './landing-stream.js';

/**
 * Oldest record still inside a landing stream before we call the lake stale:
 * three buffer intervals (Firehose's own end-to-end delay can reach 1.5).
 */
export const maxDataFreshnessSeconds = landingBuffering.intervalInSeconds * 3;

export interface PipelineAlarmsProps {
  key: kms.IKey;
  deadLetterQueues: Record<string, sqs.IQueue>;
  landingStreams: Record<string, firehose.CfnDeliveryStream>;
}

/**
 * Alarms on what users would feel: events stuck in a dead-letter queue (a
 * grade change or a behaviour event missing from the lake) and a lake that
 * stopped being fresh. They publish to one encrypted SNS topic for on-call.
 */
export class PipelineAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'luca pipeline alerts',
      masterKey: props.key,
    });
    props.key.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
    const notify = new actions.SnsAction(this.topic);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.#add(
        `DeadLetters-${name}`,
        {
          alarmDescription: `${name}: events are waiting in the dead-letter queue; redrive within 24 hours`,
          metric: queue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(5),
            statistic: 'Maximum',
          }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
        },
        notify,
      );
    }

    for (const [family, stream] of Object.entries(props.landingStreams)) {
      this.#add(
        `Freshness-${family}`,
        {
          alarmDescription: `raw/${family} is more than ${maxDataFreshnessSeconds} s behind`,
          metric: new cloudwatch.Metric({
            namespace: 'AWS/Firehose',
            metricName: 'DeliveryToS3.DataFreshness',
            dimensionsMap: { DeliveryStreamName: stream.ref },
            period: Duration.minutes(5),
            statistic: 'Maximum',
          }),
          threshold: maxDataFreshnessSeconds,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        },
        notify,
      );
    }
  }

  #add(id: string, props: cloudwatch.AlarmProps, notify: actions.SnsAction): void {
    const alarm = new cloudwatch.Alarm(this, id, props);
    alarm.addAlarmAction(notify);
    this.alarms.push(alarm);
  }
}
