import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { BaseGradesStore } from './base-store.js';
import { entities, idempotencyTtlSeconds, keys } from './dynamo-keys.js';
import { importConcurrently } from './dynamo-import.js';
import { DynamoRoster } from './dynamo-roster.js';
import { gradesStoreErrors } from './errors.js';
import type { CorrectInput, EvaluationImportLine, RecordInput, VoidInput } from './inputs.js';
import {
  type ChangePlan,
  type LifecycleClock,
  planCorrection,
  planRecord,
  planVoid,
  resultOf,
  systemClock,
} from './lifecycle.js';
import {
  checkBinding,
  type KeyBinding,
  prepareCorrection,
  prepareRecord,
  prepareVoid,
} from './requests.js';
import type { RosterKind, RosterRecord } from './roster.js';
import type {
  ChangeContext,
  ChangeResult,
  EvaluationImportSummary,
  EvaluationItem,
  ImportProgress,
} from './types.js';

export interface DynamoGradesStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  clock?: LifecycleClock;
  /** Requests in flight during `importEvaluations`. */
  importConcurrency?: number;
}

/** Optimistic writes retried this many times before answering `EVAL_ERR_VERSION_CONFLICT`. */
const maxAttempts = 5;

type Item = Record<string, unknown>;
type Key = { PK: string; SK: string };

function isConditionFailure(err: unknown): boolean {
  return (err as Error)?.name === 'ConditionalCheckFailedException';
}

function toEvaluation(item: Item): EvaluationItem {
  const { PK: _pk, SK: _sk, entity: _entity, ...evaluation } = item;

  return { last_reason_code: null, ...evaluation } as unknown as EvaluationItem;
}

/** The item as written: no null attributes (the Streams mapping reads absent as none). */
function toItem(key: Key, evaluation: EvaluationItem): Item {
  const { last_reason_code: lastReason, ...rest } = evaluation;
  const item: Item = { ...key, entity: entities.evaluation, ...rest };
  if (lastReason !== null) item.last_reason_code = lastReason;

  return item;
}

/**
 * The cloud store: one DynamoDB table, no transactions. Creates are conditional
 * (`attribute_not_exists`), updates carry `version = :expected`, and every
 * retry is recognised from the item's own history. DynamoDB Streams turn each
 * item change into its grade event (there is no outbox here).
 */
export class DynamoGradesStore extends BaseGradesStore {
  readonly kind = 'dynamodb' as const;
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #clock: LifecycleClock;
  readonly #roster: DynamoRoster;
  readonly #concurrency: number;

  constructor(options: DynamoGradesStoreOptions) {
    super();
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.#table = options.tableName;
    this.#clock = options.clock ?? systemClock;
    this.#roster = new DynamoRoster(this.#doc, this.#table);
    this.#concurrency = options.importConcurrency ?? 16;
  }

  putRoster(records: readonly RosterRecord[]): Promise<number> {
    return this.#roster.put(records);
  }

  deleteRoster(tenantId: string, kind: RosterKind, id: string): Promise<boolean> {
    return this.#roster.delete(tenantId, kind, id);
  }

  getRoster(tenantId: string, kind: RosterKind, id: string) {
    return this.#roster.get(tenantId, kind, id);
  }

  listRoster(tenantId?: string): AsyncIterable<RosterRecord> {
    return this.#roster.list(tenantId);
  }

  async listTenants(): Promise<string[]> {
    const tenants = new Set<string>();
    for await (const record of this.#roster.list()) tenants.add(record.tenant_id);

    return [...tenants].sort();
  }

  async recordEvaluation(raw: RecordInput, context: ChangeContext): Promise<ChangeResult> {
    const { input, hash, newId } = prepareRecord(raw);
    const wanted = { operation: 'record' as const, request_hash: hash };
    const evaluationId = await this.#bind(input.tenant_id, context, {
      ...wanted,
      evaluation_id: input.evaluation_id ?? newId,
    });
    const student = await this.getRoster(input.tenant_id, 'student', input.student_id);
    if (!student) this.studentNotFound(input.student_id);
    const fields = {
      ...input,
      evaluation_id: evaluationId,
      group_id: input.group_id ?? String(student.group_id),
    };
    // Validate first, so a refused request leaves no id reference behind.
    planRecord(undefined, fields, hash, context, this.#clock);
    const key = keys.evaluation(
      input.tenant_id,
      input.student_id,
      input.period_id,
      input.subject_code,
      evaluationId,
    );
    await this.#claimEvaluationId(input.tenant_id, evaluationId, key, hash);

    return this.#writeLoop(key, (item) => planRecord(item, fields, hash, context, this.#clock));
  }

  async correctEvaluation(raw: CorrectInput, context: ChangeContext): Promise<ChangeResult> {
    const { input, hash } = prepareCorrection(raw);
    const id = await this.#bind(input.tenant_id, context, {
      operation: 'correct',
      request_hash: hash,
      evaluation_id: input.evaluation_id,
    });
    const key = await this.#keyOf(input.tenant_id, id);

    return this.#writeLoop(key, (item) => planCorrection(item, input, hash, context, this.#clock));
  }

  async voidEvaluation(raw: VoidInput, context: ChangeContext): Promise<ChangeResult> {
    const { input, hash } = prepareVoid(raw);
    const id = await this.#bind(input.tenant_id, context, {
      operation: 'void',
      request_hash: hash,
      evaluation_id: input.evaluation_id,
    });
    const key = await this.#keyOf(input.tenant_id, id);

    return this.#writeLoop(key, (item) => planVoid(item, input, hash, context, this.#clock));
  }

  async getEvaluation(tenantId: string, evaluationId: string) {
    const ref = await this.#get(keys.evaluationRef(tenantId, evaluationId));
    if (!ref) return undefined;
    const item = await this.#get({ PK: String(ref.item_pk), SK: String(ref.item_sk) });

    return item ? toEvaluation(item) : undefined;
  }

  async *listEvaluations(tenantId: string): AsyncIterable<EvaluationItem> {
    for (const student of await this.listStudentsWithCurp(tenantId)) {
      let startKey: Item | undefined;
      do {
        const answer = await this.#doc.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'PK = :pk and begins_with(SK, :eval)',
            ExpressionAttributeValues: {
              ':pk': keys.studentPartition(tenantId, student.student_id),
              ':eval': 'EVAL#',
            },
            ExclusiveStartKey: startKey,
            ConsistentRead: true,
          }),
        );
        for (const item of answer.Items ?? []) yield toEvaluation(item);
        startKey = answer.LastEvaluatedKey;
      } while (startKey);
    }
  }

  importEvaluations(
    lines: Iterable<{ line: number; value: EvaluationImportLine }>,
    onProgress?: ImportProgress,
  ): Promise<EvaluationImportSummary> {
    return importConcurrently((input, context) => this.recordEvaluation(input, context), lines, {
      concurrency: this.#concurrency,
      onProgress,
    });
  }

  async close(): Promise<void> {
    this.#doc.destroy();
  }

  /** Reads, plans and writes conditionally; a lost race re-reads and plans again. */
  async #writeLoop(key: Key, plan: (item: EvaluationItem | undefined) => ChangePlan) {
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      const stored = await this.#get(key);
      const decided = plan(stored ? toEvaluation(stored) : undefined);
      if (decided.kind === 'replay') return resultOf(decided);
      const condition =
        decided.expectedVersion === null ? 'attribute_not_exists(PK)' : 'version = :expected';
      try {
        await this.#doc.send(
          new PutCommand({
            TableName: this.#table,
            Item: toItem(key, decided.evaluation),
            ConditionExpression: condition,
            ExpressionAttributeValues:
              decided.expectedVersion === null
                ? undefined
                : { ':expected': decided.expectedVersion },
          }),
        );
        return resultOf(decided);
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
    throw gradesStoreErrors.create(
      'EVAL_ERR_VERSION_CONFLICT',
      'The evaluation kept changing while this request was applied; reload it and retry.',
    );
  }

  /** Makes the id unique in the tenant and findable; a retry of the same record passes. */
  async #claimEvaluationId(tenantId: string, evaluationId: string, key: Key, hash: string) {
    const ref = keys.evaluationRef(tenantId, evaluationId);
    const item = {
      ...ref,
      entity: entities.evaluationRef,
      tenant_id: tenantId,
      evaluation_id: evaluationId,
      item_pk: key.PK,
      item_sk: key.SK,
      request_hash: hash,
    };
    const created = await this.#putIfAbsent(item);
    if (created) return;
    const existing = await this.#get(ref);
    if (existing?.request_hash !== hash) {
      throw gradesStoreErrors.create(
        'EVAL_ERR_IDEMPOTENCY_CONFLICT',
        `Evaluation ${evaluationId} exists with different content; use a new evaluation_id.`,
      );
    }
  }

  async #keyOf(tenantId: string, evaluationId: string): Promise<Key> {
    const ref = await this.#get(keys.evaluationRef(tenantId, evaluationId));
    if (!ref?.item_pk) {
      throw gradesStoreErrors.create('EVAL_ERR_NOT_FOUND', `No evaluation ${evaluationId} here.`);
    }

    return { PK: String(ref.item_pk), SK: String(ref.item_sk) };
  }

  async #bind(tenantId: string, context: ChangeContext, wanted: KeyBinding): Promise<string> {
    const key = context.idempotencyKey;
    if (!key) return wanted.evaluation_id;
    const now = this.#clock.now();
    const item = {
      ...keys.idempotency(tenantId, key),
      entity: entities.idempotencyKey,
      ...wanted,
      created_at: now.toISOString(),
      expires_at: Math.floor(now.getTime() / 1000) + idempotencyTtlSeconds,
    };
    if (await this.#putIfAbsent(item)) return wanted.evaluation_id;
    const existing = (await this.#get(keys.idempotency(tenantId, key))) as KeyBinding | undefined;

    return checkBinding(existing, wanted).evaluation_id;
  }

  async #putIfAbsent(item: Item): Promise<boolean> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async #get(key: Key): Promise<Item | undefined> {
    const answer = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: key, ConsistentRead: true }),
    );

    return answer.Item;
  }
}
