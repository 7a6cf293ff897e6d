import type { SchoolPeriod } from '../../../core/index.js';
import { defaultPolicy, type GradingPolicy, policyHash } from './policy-schema.js';
import type { PolicyStore, StoredPolicy } from './policy-store.js';

/** The policy a computation uses, and why. */
export interface PolicyInForce {
  readonly policy: GradingPolicy;
  readonly hash: string;
  /** False when the tenant has no version in force and the default applies. */
  readonly is_tenant_policy: boolean;
}

/**
 * The version in force on `date` (`YYYY-MM-DD`): the one with the latest
 * `effective_from` on or before the date; between versions effective the same
 * day, the higher `version`, then the one stored last. None: the default policy.
 */
export function policyInForceOn(versions: readonly StoredPolicy[], date: string): PolicyInForce {
  let chosen: StoredPolicy | undefined;
  for (const candidate of versions) {
    if (candidate.policy.effective_from > date) continue;
    if (!chosen || isLater(candidate, chosen)) chosen = candidate;
  }
  if (!chosen) {
    return { policy: defaultPolicy, hash: policyHash(defaultPolicy), is_tenant_policy: false };
  }

  return { policy: chosen.policy, hash: chosen.hash, is_tenant_policy: true };
}

function isLater(a: StoredPolicy, b: StoredPolicy): boolean {
  if (a.policy.effective_from !== b.policy.effective_from) {
    return a.policy.effective_from > b.policy.effective_from;
  }
  if (a.policy.version !== b.policy.version) return a.policy.version > b.policy.version;

  return a.stored_at >= b.stored_at;
}

/**
 * The policy that grades a whole period: the one in force on the period's
 * first day (`starts_on`). A version that takes effect mid-period applies
 * from the next period, so the rules never change under a running period and
 * re-running a period later gives the same result (ADR 0026).
 */
export function policyForPeriod(
  store: PolicyStore,
  tenantId: string,
  period: SchoolPeriod,
): PolicyInForce {
  return policyInForceOn(store.versions(tenantId), period.starts_on);
}
