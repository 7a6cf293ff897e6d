import { join } from 'node:path';
import Database from 'better-sqlite3';
import { gradesErrors } from '../errors.js';
import { type GradingPolicy, gradingPolicy, policyHash } from './policy-schema.js';

/** One stored version of a tenant's policy. */
export interface StoredPolicy {
  readonly tenant_id: string;
  readonly policy: GradingPolicy;
  /** `sha256:<hex>` of the policy's canonical JSON. */
  readonly hash: string;
  readonly stored_at: string;
}

/** Outcome of `PolicyStore.set`: a new version, or the same content again (a no-op). */
export type SetPolicyOutcome = 'stored' | 'unchanged';

/** Where tenants' policy versions live. Versions are immutable once stored. */
export interface PolicyStore {
  set(tenantId: string, policy: GradingPolicy, storedAt?: Date): SetPolicyOutcome;
  /** Every version of the tenant's policies, oldest `effective_from` first. */
  versions(tenantId: string): StoredPolicy[];
  /** Tenants with at least one stored policy. */
  tenants(): string[];
  close(): void;
}

interface PolicyRow {
  tenant_id: string;
  body: string;
  hash: string;
  stored_at: string;
}

/** The local store: `<data-dir>/state/policies.db` (SQLite, WAL). */
export class SqlitePolicyStore implements PolicyStore {
  readonly #db: Database.Database;

  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(`create table if not exists policy_versions (
      tenant_id text not null,
      policy_id text not null,
      version integer not null,
      effective_from text not null,
      hash text not null,
      body text not null,
      stored_at text not null,
      primary key (tenant_id, policy_id, version)
    )`);
  }

  /** Opens the store of a data directory's `state/` folder. */
  static inStateDir(stateDir: string): SqlitePolicyStore {
    return new SqlitePolicyStore(join(stateDir, 'policies.db'));
  }

  set(tenantId: string, policy: GradingPolicy, storedAt = new Date()): SetPolicyOutcome {
    const hash = policyHash(policy);
    const existing = this.#db
      .prepare(
        'select hash from policy_versions where tenant_id = ? and policy_id = ? and version = ?',
      )
      .get(tenantId, policy.policy_id, policy.version) as { hash: string } | undefined;
    if (existing?.hash === hash) return 'unchanged';
    if (existing) {
      throw gradesErrors.create(
        'GRADES_ERR_POLICY_CONFLICT',
        `policy ${policy.policy_id} version ${policy.version} already exists with other content; ` +
          'stored versions never change: set it again with a higher "version"',
        { details: { policy_id: policy.policy_id, version: policy.version } },
      );
    }
    this.#db
      .prepare('insert into policy_versions values (?, ?, ?, ?, ?, ?, ?)')
      .run(
        tenantId,
        policy.policy_id,
        policy.version,
        policy.effective_from,
        hash,
        JSON.stringify(policy),
        storedAt.toISOString(),
      );

    return 'stored';
  }

  versions(tenantId: string): StoredPolicy[] {
    const rows = this.#db
      .prepare(
        `select tenant_id, body, hash, stored_at from policy_versions where tenant_id = ?
         order by effective_from, version, stored_at`,
      )
      .all(tenantId) as PolicyRow[];

    return rows.map((row) => ({
      tenant_id: row.tenant_id,
      policy: gradingPolicy.parse(JSON.parse(row.body)),
      hash: row.hash,
      stored_at: row.stored_at,
    }));
  }

  tenants(): string[] {
    const rows = this.#db
      .prepare('select distinct tenant_id from policy_versions order by tenant_id')
      .all() as Array<{ tenant_id: string }>;

    return rows.map((row) => row.tenant_id);
  }

  close(): void {
    this.#db.close();
  }
}
