import { join } from 'node:path';
import { lakeZones, periodKey } from '../../core/index.js';

/** One frozen file of a cutoff, with its checksum. */
export interface CutoffFile {
  readonly path: string;
  readonly kind: 'records' | 'lineage' | 'unsendable' | 'diff';
  readonly cct: string | null;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** A policy version the frozen grades were computed with. */
export interface PolicyUse {
  readonly policy_id: string;
  readonly policy_version: string;
  readonly policy_hash: string;
  readonly records: number;
}

export interface CutoffDiff {
  readonly previous_cutoff_id: string;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly unchanged: number;
}

/** `manifest.json` of a cutoff: what was frozen, by whom, when, and the checksums. */
export interface CutoffManifest {
  readonly cutoff_id: string;
  readonly tenant_id: string;
  readonly cct: string;
  readonly period_id: string;
  readonly version: number;
  readonly created_at: string;
  readonly created_by: string;
  /** The registry deadline: 48 hours after the cutoff was frozen. */
  readonly deadline_at: string;
  readonly previous_cutoff_id: string | null;
  readonly files: readonly CutoffFile[];
  readonly totals: {
    readonly students: number;
    readonly students_sendable: number;
    readonly students_unsendable: number;
    readonly records: number;
    readonly records_failing: number;
    readonly grades_without_student: number;
    readonly by_subject: Readonly<Record<string, number>>;
  };
  readonly policies: readonly PolicyUse[];
  readonly diff: CutoffDiff | null;
}

/** The cutoff's id: `<tenant>.<period key>.v<version>`, e.g. `t-09dpr0001a.2026-2027-P1.v2`. */
export function cutoffIdOf(tenantId: string, periodId: string, version: number): string {
  return `${tenantId}.${periodKey(periodId)}.v${version}`;
}

/** Splits a cutoff id; undefined when it is not one. */
export function parseCutoffId(cutoffId: string) {
  const match = /^([a-z0-9][a-z0-9-]{1,62})\.([0-9]{4}-[0-9]{4}-P[1-9])\.v([1-9][0-9]*)$/.exec(
    cutoffId,
  );
  if (!match) return undefined;

  return { tenantId: match[1] as string, periodKey: match[2] as string, version: Number(match[3]) };
}

/** `<lake>/cutoffs/tenant_id=<t>/period_key=<p>` (every version below it). */
export function cutoffPeriodDir(
  lakeRoot: string,
  tenantId: string,
  periodKeyValue: string,
): string {
  return join(lakeRoot, lakeZones.cutoffs, `tenant_id=${tenantId}`, `period_key=${periodKeyValue}`);
}

/** The frozen directory of one cutoff version. */
export function cutoffDir(
  lakeRoot: string,
  tenantId: string,
  periodKeyValue: string,
  version: number,
) {
  return join(cutoffPeriodDir(lakeRoot, tenantId, periodKeyValue), `version=${version}`);
}
