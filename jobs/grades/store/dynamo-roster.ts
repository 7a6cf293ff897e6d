import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { keys } from './dynamo-keys.js';
import { type RosterKind, type RosterRecord, rosterKinds } from './roster.js';

/** BatchWriteItem takes at most 25 requests. */
const batchLimit = 25;

type Item = Record<string, unknown>;

function toItem(record: RosterRecord): Item {
  return {
    ...keys.roster(record.tenant_id, record.kind, record.id),
    entity: record.kind,
    ...record,
  };
}

function fromItem(item: Item): RosterRecord {
  return {
    tenant_id: String(item.tenant_id),
    kind: item.kind as RosterKind,
    id: String(item.id),
    group_id: (item.group_id as string | null) ?? null,
    data: item.data as Record<string, unknown>,
  };
}

/** Roster items of the single table: one partition per tenant, `<KIND>#<id>` sort keys. */
export class DynamoRoster {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, table: string) {
    this.#doc = doc;
    this.#table = table;
  }

  async put(records: readonly RosterRecord[]): Promise<number> {
    for (let start = 0; start < records.length; start += batchLimit) {
      let requests = records
        .slice(start, start + batchLimit)
        .map((record) => ({ PutRequest: { Item: toItem(record) } }));
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 25));
        const answer = await this.#doc.send(
          new BatchWriteCommand({ RequestItems: { [this.#table]: requests } }),
        );
        requests = (answer.UnprocessedItems?.[this.#table] ?? []) as typeof requests;
      }
    }

    return records.length;
  }

  async get(tenantId: string, kind: RosterKind, id: string): Promise<RosterRecord | undefined> {
    const answer = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: keys.roster(tenantId, kind, id),
        ConsistentRead: true,
      }),
    );

    return answer.Item ? fromItem(answer.Item) : undefined;
  }

  /** Deletes one record; true when it existed (the old item comes back). */
  async delete(tenantId: string, kind: RosterKind, id: string): Promise<boolean> {
    const answer = await this.#doc.send(
      new DeleteCommand({
        TableName: this.#table,
        Key: keys.roster(tenantId, kind, id),
        ReturnValues: 'ALL_OLD',
      }),
    );

    return answer.Attributes !== undefined;
  }

  /** One tenant: a Query of its roster partition. All tenants: a Scan (admin use only). */
  async *list(tenantId?: string): AsyncIterable<RosterRecord> {
    let startKey: Item | undefined;
    do {
      const command = tenantId
        ? new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': keys.rosterPartition(tenantId) },
            ExclusiveStartKey: startKey,
            ConsistentRead: true,
          })
        : new ScanCommand({
            TableName: this.#table,
            FilterExpression: 'entity IN (:k0, :k1, :k2, :k3, :k4, :k5)',
            ExpressionAttributeValues: Object.fromEntries(
              rosterKinds.map((kind, i) => [`:k${i}`, kind]),
            ),
            ExclusiveStartKey: startKey,
          });
      const answer = await this.#doc.send(command);
      const items = (answer.Items ?? []).map(fromItem);
      items.sort(byTenantKindId);
      for (const record of items) yield record;
      startKey = answer.LastEvaluatedKey;
    } while (startKey);
  }
}

function byTenantKindId(a: RosterRecord, b: RosterRecord): number {
  return (
    a.tenant_id.localeCompare(b.tenant_id) ||
    a.kind.localeCompare(b.kind) ||
    a.id.localeCompare(b.id)
  );
}
