import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { RosterKind } from './roster.js';

/**
 * Single-table key design (docs/grades-store.md). Every partition key starts
 * with `T#<tenant_id>#`, so an IAM `dynamodb:LeadingKeys` condition confines a
 * principal to one tenant. The evaluation key is shared with the Streams
 * mapping: change it only together with that mapping.
 */
export const keys = {
  evaluation(tenantId: string, studentId: string, periodId: string, subject: string, id: string) {
    return { PK: `T#${tenantId}#STU#${studentId}`, SK: `EVAL#${periodId}#${subject}#${id}` };
  },
  /** All evaluations of a student: `begins_with(SK, 'EVAL#')` under this PK. */
  studentPartition(tenantId: string, studentId: string) {
    return `T#${tenantId}#STU#${studentId}`;
  },
  /** Evaluation id to its item: makes ids unique per tenant and finds them by id. */
  evaluationRef(tenantId: string, evaluationId: string) {
    return { PK: `T#${tenantId}#EVALID#${evaluationId}`, SK: 'EVALID' };
  },
  idempotency(tenantId: string, key: string) {
    return { PK: `T#${tenantId}#IDEM#${key}`, SK: 'IDEM' };
  },
  roster(tenantId: string, kind: RosterKind, id: string) {
    return { PK: `T#${tenantId}#ROSTER`, SK: `${kind.toUpperCase()}#${id}` };
  },
  rosterPartition(tenantId: string) {
    return `T#${tenantId}#ROSTER`;
  },
} as const;

/** `entity` attribute values, so a scan or a stream consumer can tell items apart. */
export const entities = {
  evaluation: 'evaluation',
  evaluationRef: 'evaluation_ref',
  idempotencyKey: 'idempotency_key',
} as const;

/** Seconds an idempotency binding lives (the table's TTL attribute `expires_at`). */
export const idempotencyTtlSeconds = 7 * 86_400;

/**
 * Creates the table if it is missing (tests and local DynamoDB; in AWS the CDK
 * stack owns it, with Streams NEW_AND_OLD_IMAGES, TTL on `expires_at` and PITR).
 */
export async function ensureGradesTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (err) {
    if ((err as Error).name !== 'ResourceNotFoundException') throw err;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
    }),
  );
}
