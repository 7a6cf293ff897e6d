import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  AmendmentRow,
  AttemptRow,
  BatchCompletion,
  BatchRow,
  CutoffRegistration,
  DeadLetterRow,
  PlannedBatch,
  ReconciliationRow,
  RecordResultRow,
  SyncLedger,
} from './ledger.js';

type Item = Record<string, unknown>;

const pad = (n: number) => String(n).padStart(6, '0');

/** Creates the ledger table (pk, sk; on-demand) if it does not exist. */
export async function ensureSyncLedgerTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
}

function strip<T>(item: Item): T {
  const { pk: _pk, sk: _sk, results: _r, dead_letters: _d, ...rest } = item;

  return rest as T;
}

/**
 * The ledger in DynamoDB, one partition per cutoff (`CUTOFF#<id>`): the
 * cutoff (`META`), its batches (`BATCH#`, holding their results and dead
 * letters, so a batch completes in one conditional write), attempts
 * (`ATTEMPT#<batch>#<n>`), reconciliation lines (`RECON#`) and amendments.
 */
export class DynamoSyncLedger implements SyncLedger {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.#table = options.tableName;
  }

  async #query(cutoffId: string, prefix: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk and begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `CUTOFF#${cutoffId}`, ':prefix': prefix },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      items.push(...((page.Items ?? []) as Item[]));
      start = page.LastEvaluatedKey;
    } while (start);

    return items;
  }

  async #putIfAbsent(item: Item): Promise<void> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async registerCutoff(cutoff: CutoffRegistration): Promise<void> {
    await this.#putIfAbsent({ pk: `CUTOFF#${cutoff.cutoff_id}`, sk: 'META', ...cutoff });
  }

  async cutoff(cutoffId: string): Promise<CutoffRegistration | undefined> {
    const got = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: `CUTOFF#${cutoffId}`, sk: 'META' },
        ConsistentRead: true,
      }),
    );

    return got.Item ? strip<CutoffRegistration>(got.Item) : undefined;
  }

  async planBatches(batches: readonly PlannedBatch[]): Promise<void> {
    for (const b of batches) {
      await this.#putIfAbsent({
        pk: `CUTOFF#${b.cutoff_id}`,
        sk: `BATCH#${b.batch_id}`,
        ...b,
        record_ids: [...b.record_ids],
        state: 'pending',
        attempts: 0,
        failures: 0,
        submission_id: null,
        last_status: null,
        last_error: null,
        updated_at: new Date().toISOString(),
      });
    }
  }

  async batches(cutoffId: string): Promise<BatchRow[]> {
    return (await this.#query(cutoffId, 'BATCH#'))
      .map((item) => strip<BatchRow>(item))
      .sort((a, b) => a.cct.localeCompare(b.cct) || a.batch_seq - b.batch_seq);
  }

  async startAttempt(a: AttemptRow): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: { pk: `CUTOFF#${a.cutoff_id}`, sk: this.#attemptKey(a), ...a },
      }),
    );
  }

  #attemptKey(a: AttemptRow): string {
    return `ATTEMPT#${a.batch_id}#${pad(a.attempt_no)}#${a.attempt_id}`;
  }

  /**
   * Writes the attempt, then the batch counters. Two writes, not a transaction
   * (dynalite has no TransactWriteItems): a crash between them leaves the
   * counters one attempt behind, which costs at most one extra attempt.
   */
  async finishAttempt(
    a: AttemptRow,
    batch: Pick<BatchRow, 'attempts' | 'failures'>,
  ): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: { pk: `CUTOFF#${a.cutoff_id}`, sk: this.#attemptKey(a), ...a },
      }),
    );
    await this.#doc.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: `CUTOFF#${a.cutoff_id}`, sk: `BATCH#${a.batch_id}` },
        UpdateExpression:
          'set attempts = :a, failures = :f, last_status = :s, last_error = :e, updated_at = :u',
        ExpressionAttributeValues: {
          ':a': batch.attempts,
          ':f': batch.failures,
          ':s': a.http_status,
          ':e': a.error_code,
          ':u': new Date().toISOString(),
        },
      }),
    );
  }

  async completeBatch(cutoffId: string, batchId: string, c: BatchCompletion): Promise<void> {
    await this.#doc.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: `CUTOFF#${cutoffId}`, sk: `BATCH#${batchId}` },
        UpdateExpression:
          'set #state = :state, submission_id = :sub, results = :results, dead_letters = :dead, last_status = :s, last_error = :e, updated_at = :u',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':state': c.state,
          ':sub': c.submission_id,
          ':results': c.results,
          ':dead': c.dead_letters,
          ':s': c.last_status,
          ':e': c.last_error,
          ':u': new Date().toISOString(),
        },
      }),
    );
  }

  async abandonOpenAttempts(cutoffId: string, currentRunId: string): Promise<number> {
    const open = (await this.#query(cutoffId, 'ATTEMPT#')).filter(
      (a) => a.outcome === 'in_flight' && a.run_id !== currentRunId,
    );
    for (const a of open) {
      await this.#doc.send(
        new PutCommand({ TableName: this.#table, Item: { ...a, outcome: 'abandoned' } }),
      );
    }

    return open.length;
  }

  async attempts(cutoffId: string): Promise<AttemptRow[]> {
    return (await this.#query(cutoffId, 'ATTEMPT#'))
      .map((item) => strip<AttemptRow>(item))
      .sort((a, b) => a.started_at.localeCompare(b.started_at) || a.attempt_no - b.attempt_no);
  }

  async results(cutoffId: string): Promise<RecordResultRow[]> {
    const items = await this.#query(cutoffId, 'BATCH#');

    return items
      .flatMap((item) => (item.results ?? []) as RecordResultRow[])
      .sort((a, b) => a.record_id.localeCompare(b.record_id));
  }

  async deadLetters(cutoffId: string): Promise<DeadLetterRow[]> {
    const items = await this.#query(cutoffId, 'BATCH#');

    return items
      .flatMap((item) => (item.dead_letters ?? []) as DeadLetterRow[])
      .sort((a, b) => a.record_id.localeCompare(b.record_id));
  }

  async saveReconciliation(cutoffId: string, rows: readonly ReconciliationRow[]): Promise<void> {
    const kept = new Set(rows.map((row) => `RECON#${row.record_id}`));
    const old = (await this.#query(cutoffId, 'RECON#')).filter(
      (item) => !kept.has(String(item.sk)),
    );
    const requests = [
      ...old.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
      ...rows.map((row) => ({
        PutRequest: { Item: { pk: `CUTOFF#${cutoffId}`, sk: `RECON#${row.record_id}`, ...row } },
      })),
    ];
    // BatchWriteItem takes at most 25 requests; unprocessed ones are retried.
    for (let i = 0; i < requests.length; i += 25) {
      let pending: unknown[] | undefined = requests.slice(i, i + 25);
      while (pending && pending.length > 0) {
        const out: BatchWriteCommandOutput = await this.#doc.send(
          new BatchWriteCommand({ RequestItems: { [this.#table]: pending as never } }),
        );
        pending = out.UnprocessedItems?.[this.#table];
      }
    }
  }

  async reconciliation(cutoffId: string): Promise<ReconciliationRow[]> {
    return (await this.#query(cutoffId, 'RECON#')).map((item) => strip<ReconciliationRow>(item));
  }

  async recordAmendment(row: AmendmentRow): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          pk: `CUTOFF#${row.cutoff_id}`,
          sk: `AMEND#${row.record_id}#${row.idempotency_key}`,
          ...row,
        },
      }),
    );
  }

  async amendments(cutoffId: string): Promise<AmendmentRow[]> {
    return (await this.#query(cutoffId, 'AMEND#')).map((item) => strip<AmendmentRow>(item));
  }

  async close(): Promise<void> {
    this.#doc.destroy();
  }
}
