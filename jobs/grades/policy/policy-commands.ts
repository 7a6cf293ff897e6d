import { readFileSync } from 'node:fs';
import { type DataPaths, schoolPeriods, tenantId as tenantIdSchema } from '../../../core/index.js';
import { gradesErrors } from '../errors.js';
import { type GradingPolicy, policyHash, validatePolicy } from './policy-schema.js';
import { policyInForceOn } from './policy-selection.js';
import { type SetPolicyOutcome, SqlitePolicyStore } from './policy-store.js';

function checkTenant(tenantId: string): void {
  if (!tenantIdSchema.safeParse(tenantId).success) {
    throw gradesErrors.create(
      'GRADES_ERR_POLICY_INVALID',
      `--tenant "${tenantId}" is not a tenant id (2-63 of a-z 0-9 -)`,
    );
  }
}

/** Reads and validates a policy file; every problem is listed in the error. */
export function readPolicyFile(file: string): GradingPolicy {
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw gradesErrors.create('GRADES_ERR_POLICY_FILE', `cannot read ${file} as JSON: ${reason}`, {
      cause: err,
    });
  }
  const result = validatePolicy(input);
  if (!result.ok) {
    const lines = result.problems.map((problem) => `  ${problem.path}: ${problem.message}`);
    throw gradesErrors.create(
      'GRADES_ERR_POLICY_INVALID',
      `${file} is not a valid policy (${lines.length} problem(s)); nothing was stored:\n${lines.join('\n')}`,
      { details: { problems: result.problems } },
    );
  }

  return result.policy;
}

/** The first period graded by a version effective on `date` (periods use the version in force on their first day). */
export function firstPeriodFrom(date: string): string | null {
  return schoolPeriods.find((period) => period.starts_on >= date)?.period_id ?? null;
}

export interface SetPolicySummary {
  outcome: SetPolicyOutcome;
  tenant_id: string;
  policy_id: string;
  version: number;
  effective_from: string;
  hash: string;
  /** The first period of the calendar this version grades, if any. */
  first_period: string | null;
}

/**
 * `luca policy set`: validates a policy file and stores it as a new version of
 * the tenant's policy. Setting the same content again is a no-op; a stored
 * version never changes. Nothing is written to the lake.
 */
export function setPolicyFromFile(
  paths: DataPaths,
  tenantId: string,
  file: string,
): SetPolicySummary {
  checkTenant(tenantId);
  const policy = readPolicyFile(file);
  const store = SqlitePolicyStore.inStateDir(paths.state);
  try {
    const outcome = store.set(tenantId, policy);

    return {
      outcome,
      tenant_id: tenantId,
      policy_id: policy.policy_id,
      version: policy.version,
      effective_from: policy.effective_from,
      hash: policyHash(policy),
      first_period: firstPeriodFrom(policy.effective_from),
    };
  } finally {
    store.close();
  }
}

/** `luca policy show`: the version in force on `at` (default today) and every stored version. */
export function showPolicy(paths: DataPaths, tenantId: string, at?: string) {
  checkTenant(tenantId);
  const date = at ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw gradesErrors.create(
      'GRADES_ERR_POLICY_INVALID',
      `--at "${date}" is not a YYYY-MM-DD date`,
    );
  }
  const store = SqlitePolicyStore.inStateDir(paths.state);
  try {
    const versions = store.versions(tenantId);
    const inForce = policyInForceOn(versions, date);

    return {
      tenant_id: tenantId,
      at: date,
      is_default: !inForce.is_tenant_policy,
      hash: inForce.hash,
      policy: inForce.policy,
      versions: versions.map((version) => ({
        policy_id: version.policy.policy_id,
        version: version.policy.version,
        effective_from: version.policy.effective_from,
        hash: version.hash,
        stored_at: version.stored_at,
      })),
    };
  } finally {
    store.close();
  }
}
