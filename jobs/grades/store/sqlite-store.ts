import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { isLucaError } from '../../../core/index.js';
import { BaseGradesStore } from './base-store.js';
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
  importRequest,
  type KeyBinding,
  prepareCorrection,
  prepareRecord,
  prepareVoid,
} from './requests.js';
import type { RosterKind, RosterRecord } from './roster.js';
import { SqliteOutbox } from './sqlite-outbox.js';
import { prepareDatabase, prepareStatements, type SqliteStatements } from './sqlite-schema.js';
import type {
  ChangeContext,
  ChangeResult,
  EvaluationImportSummary,
  EvaluationItem,
  ImportProgress,
} from './types.js';

export interface SqliteGradesStoreOptions {
  /** Database file, usually `<data-dir>/state/grades.db`. */
  file: string;
  clock?: LifecycleClock;
  /** Lines per transaction in `importEvaluations`. */
  importChunk?: number;
}

interface RosterRow {
  tenant_id: string;
  kind: RosterKind;
  id: string;
  group_id: string | null;
  data: string;
}

const pageSize = 1000;

/**
 * The embedded store for one machine: better-sqlite3 in WAL mode with
 * `synchronous = FULL`. Each change and its outbox events commit in one
 * immediate transaction, so a crash keeps both or neither.
 *
 * @example
 * const store = SqliteGradesStore.open({ file: join(paths.state, 'grades.db') });
 * await store.recordEvaluation(input, { actor: { id: 'tch-1', role: 'teacher' } });
 */
export class SqliteGradesStore extends BaseGradesStore {
  readonly kind = 'sqlite' as const;
  readonly outbox: SqliteOutbox;
  readonly #db: Database.Database;
  readonly #sql: SqliteStatements;
  readonly #clock: LifecycleClock;
  readonly #importChunk: number;

  private constructor(db: Database.Database, options: SqliteGradesStoreOptions) {
    super();
    this.#db = db;
    this.#sql = prepareStatements(db);
    this.#clock = options.clock ?? systemClock;
    this.#importChunk = options.importChunk ?? 1000;
    this.outbox = new SqliteOutbox(db);
  }

  static open(options: SqliteGradesStoreOptions): SqliteGradesStore {
    mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
    const db = new Database(options.file);
    prepareDatabase(db);

    return new SqliteGradesStore(db, options);
  }

  async putRoster(records: readonly RosterRecord[]): Promise<number> {
    const updatedAt = this.#clock.now().toISOString();
    const run = this.#db.transaction(() => {
      for (const record of records) {
        this.#sql.putRoster.run({
          ...record,
          data: JSON.stringify(record.data),
          updated_at: updatedAt,
        });
      }
    });
    run.immediate();

    return records.length;
  }

  /**
   * Erasure: `secure_delete` zeroes the freed cells, and a truncating
   * checkpoint drops the WAL frames that still held the old record.
   */
  async deleteRoster(tenantId: string, kind: RosterKind, id: string): Promise<boolean> {
    this.#db.pragma('secure_delete = ON');
    try {
      return this.#sql.deleteRoster.run(tenantId, kind, id).changes > 0;
    } finally {
      this.#db.pragma('secure_delete = OFF');
      this.#db.pragma('wal_checkpoint(TRUNCATE)');
    }
  }

  async getRoster(tenantId: string, kind: RosterKind, id: string) {
    return this.#rosterSync(tenantId, kind, id);
  }

  #rosterSync(tenantId: string, kind: RosterKind, id: string): RosterRecord | undefined {
    const row = this.#sql.getRoster.get(tenantId, kind, id) as RosterRow | undefined;

    return row ? toRosterRecord(row) : undefined;
  }

  async *listRoster(tenantId?: string): AsyncIterable<RosterRecord> {
    let last: [string, string, string] = ['', '', ''];
    const scope = tenantId ?? null;
    for (;;) {
      const rows = this.#sql.rosterPage.all(...last, scope, scope, pageSize) as RosterRow[];
      for (const row of rows) yield toRosterRecord(row);
      const tail = rows.at(-1);
      if (!tail || rows.length < pageSize) return;
      last = [tail.tenant_id, tail.kind, tail.id];
    }
  }

  async listTenants(): Promise<string[]> {
    return (this.#sql.tenants.all() as { tenant_id: string }[]).map((row) => row.tenant_id);
  }

  async recordEvaluation(input: RecordInput, context: ChangeContext): Promise<ChangeResult> {
    return this.#db.transaction(() => this.#recordSync(input, context)).immediate();
  }

  async correctEvaluation(input: CorrectInput, context: ChangeContext): Promise<ChangeResult> {
    return this.#db
      .transaction(() => {
        const { input: parsed, hash } = prepareCorrection(input);
        const binding = this.#bind(
          parsed.tenant_id,
          context,
          'correct',
          hash,
          parsed.evaluation_id,
        );
        const item = this.#evaluationSync(parsed.tenant_id, binding);
        return this.#apply(planCorrection(item, parsed, hash, context, this.#clock));
      })
      .immediate();
  }

  async voidEvaluation(input: VoidInput, context: ChangeContext): Promise<ChangeResult> {
    return this.#db
      .transaction(() => {
        const { input: parsed, hash } = prepareVoid(input);
        const binding = this.#bind(parsed.tenant_id, context, 'void', hash, parsed.evaluation_id);
        const item = this.#evaluationSync(parsed.tenant_id, binding);
        return this.#apply(planVoid(item, parsed, hash, context, this.#clock));
      })
      .immediate();
  }

  async getEvaluation(tenantId: string, evaluationId: string) {
    return this.#evaluationSync(tenantId, evaluationId);
  }

  async *listEvaluations(tenantId: string): AsyncIterable<EvaluationItem> {
    let last = '';
    for (;;) {
      const rows = this.#sql.evaluationPage.all(tenantId, last, pageSize) as {
        evaluation_id: string;
        item: string;
      }[];
      for (const row of rows) yield JSON.parse(row.item) as EvaluationItem;
      const tail = rows.at(-1);
      if (!tail || rows.length < pageSize) return;
      last = tail.evaluation_id;
    }
  }

  async importEvaluations(
    lines: Iterable<{ line: number; value: EvaluationImportLine }>,
    onProgress?: ImportProgress,
  ): Promise<EvaluationImportSummary> {
    const started = performance.now();
    const summary: EvaluationImportSummary = {
      lines: 0,
      recorded: 0,
      replayed: 0,
      rejected: [],
      duration_ms: 0,
    };
    const importChunk = this.#db.transaction(
      (chunk: { line: number; value: EvaluationImportLine }[]) => {
        for (const { line, value } of chunk) this.#importOne(line, value, summary);
      },
    );
    let chunk: { line: number; value: EvaluationImportLine }[] = [];
    for (const entry of lines) {
      chunk.push(entry);
      if (chunk.length < this.#importChunk) continue;
      importChunk.immediate(chunk);
      summary.lines += chunk.length;
      onProgress?.(summary.lines);
      chunk = [];
      // Let the event loop breathe between chunks (HTTP requests share the process).
      await new Promise((resolve) => setImmediate(resolve));
    }
    importChunk.immediate(chunk);
    summary.lines += chunk.length;
    onProgress?.(summary.lines);
    summary.duration_ms = Math.round(performance.now() - started);

    return summary;
  }

  #importOne(line: number, value: EvaluationImportLine, summary: EvaluationImportSummary): void {
    const { input, context } = importRequest(value);
    try {
      const result = this.#recordSync(input, context);
      if (result.replayed) summary.replayed += 1;
      else summary.recorded += 1;
    } catch (err) {
      // Refusals happen before any write of the line, so the chunk stays consistent.
      if (!isLucaError(err)) throw err;
      summary.rejected.push({ line, code: err.code, message: err.message });
    }
  }

  async close(): Promise<void> {
    this.#db.close();
  }

  #recordSync(raw: RecordInput, context: ChangeContext): ChangeResult {
    const { input, hash, newId } = prepareRecord(raw);
    const evaluationId = this.#bind(
      input.tenant_id,
      context,
      'record',
      hash,
      input.evaluation_id ?? newId,
    );
    const student = this.#rosterSync(input.tenant_id, 'student', input.student_id);
    if (!student) this.studentNotFound(input.student_id);
    const existing = this.#evaluationSync(input.tenant_id, evaluationId);
    const fields = {
      ...input,
      evaluation_id: evaluationId,
      group_id: input.group_id ?? String(student.group_id),
    };

    return this.#apply(planRecord(existing, fields, hash, context, this.#clock));
  }

  /** Binds the request's Idempotency-Key (if any) and returns the evaluation id to use. */
  #bind(
    tenantId: string,
    context: ChangeContext,
    operation: KeyBinding['operation'],
    hash: string,
    evaluationId: string,
  ): string {
    const key = context.idempotencyKey;
    if (!key) return evaluationId;
    const existing = this.#sql.getBinding.get(tenantId, key) as KeyBinding | undefined;
    const wanted = { operation, request_hash: hash, evaluation_id: evaluationId };
    const binding = checkBinding(existing, wanted);
    if (!existing) {
      const at = this.#clock.now().toISOString();
      this.#sql.insertBinding.run(tenantId, key, operation, hash, evaluationId, at);
    }

    return binding.evaluation_id;
  }

  #evaluationSync(tenantId: string, evaluationId: string): EvaluationItem | undefined {
    const row = this.#sql.getEvaluation.get(tenantId, evaluationId) as { item: string } | undefined;

    return row ? (JSON.parse(row.item) as EvaluationItem) : undefined;
  }

  #apply(plan: ChangePlan): ChangeResult {
    const result = resultOf(plan);
    if (plan.kind === 'replay') return result;
    const item = plan.evaluation;
    const json = JSON.stringify(item);
    if (plan.expectedVersion === null) {
      this.#sql.insertEvaluation.run(
        item.tenant_id,
        item.evaluation_id,
        item.student_id,
        item.period_id,
        item.subject_code,
        item.version,
        json,
      );
    } else {
      const key = [item.tenant_id, item.evaluation_id, plan.expectedVersion] as const;
      const changed = this.#sql.updateEvaluation.run(item.version, json, ...key).changes;
      if (changed !== 1) {
        throw gradesStoreErrors.create('EVAL_ERR_VERSION_CONFLICT', 'Changed meanwhile; retry.');
      }
    }
    for (const event of result.events) {
      const at = this.#clock.now().toISOString();
      this.#sql.insertOutbox.run(
        event.event_id,
        item.tenant_id,
        event.event_type,
        JSON.stringify(event),
        at,
      );
    }

    return result;
  }
}

function toRosterRecord(row: RosterRow): RosterRecord {
  return {
    tenant_id: row.tenant_id,
    kind: row.kind,
    id: row.id,
    group_id: row.group_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}
