import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { evaluationTable } from '../../pipelines/cloud/index.js';

export interface EvaluationsTableProps {
  key: kms.IKey;
  removalPolicy?: RemovalPolicy;
}

/**
 * The single table of evaluations and roster items (key design in
 * docs/cloud-architecture.md): on-demand, encrypted with the data key,
 * point-in-time recovery on, a stream with both images for the grade pipe,
 * and a TTL attribute so erased or expired items leave on their own.
 */
export class EvaluationsTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: EvaluationsTableProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: evaluationTable.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: evaluationTable.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: evaluationTable.ttlAttribute,
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
