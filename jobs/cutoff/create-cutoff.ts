import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Logger,
  type Pseudonymizer,
  periodById,
  periodKey,
  tenantId as tenantIdSchema,
} from '../../core/index.js';
import { buildRecords, type BuiltRecords, type CutoffRecord } from './build-records.js';
import {
  type CutoffDiff,
  type CutoffFile,
  type CutoffManifest,
  cutoffDir,
  cutoffIdOf,
  type PolicyUse,
} from './cutoff-manifest.js';
import { listVersions, readCutoff, sha256Hex } from './cutoff-store.js';
import { cutoffErrors } from './errors.js';
import type { ConsolidatedGradesSource, CutoffRosterSource } from './sources.js';

export interface CreateCutoffOptions {
  readonly lakeRoot: string;
  readonly tenantId: string;
  readonly periodId: string;
  readonly roster: CutoffRosterSource;
  readonly grades: ConsolidatedGradesSource;
  readonly pseudonymizer: Pseudonymizer;
  /** Who froze it (an operator id, never a name). */
  readonly createdBy: string;
  readonly logger?: Logger;
  readonly now?: Date;
}

const deadlineHours = 48;

function jsonLines(rows: readonly unknown[]): string {
  return rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length > 0 ? '\n' : '');
}

function writeFrozen(
  dir: string,
  name: string,
  kind: CutoffFile['kind'],
  cct: string | null,
  rows: readonly unknown[],
): CutoffFile {
  const content = jsonLines(rows);
  writeFileSync(join(dir, name), content, { mode: 0o444 });

  return {
    path: name,
    kind,
    cct,
    rows: rows.length,
    bytes: Buffer.byteLength(content),
    sha256: sha256Hex(content),
  };
}

function policiesOf(built: BuiltRecords): PolicyUse[] {
  const uses = new Map<string, PolicyUse>();
  for (const row of built.lineage) {
    const key = `${row.policy_id}|${row.policy_version}|${row.policy_hash}`;
    const use = uses.get(key);
    uses.set(key, {
      policy_id: row.policy_id,
      policy_version: row.policy_version,
      policy_hash: row.policy_hash,
      records: (use?.records ?? 0) + 1,
    });
  }

  return [...uses.values()];
}

/** Record-level changes against the previous version (record ids are stable across versions). */
function diffAgainst(previous: readonly CutoffRecord[], current: readonly CutoffRecord[]) {
  const before = new Map(previous.map((r) => [r.record_id, r]));
  const changes: {
    record_id: string;
    change: string;
    previous_grade: number | null;
    grade: number | null;
  }[] = [];
  let unchanged = 0;
  for (const record of current) {
    const old = before.get(record.record_id);
    before.delete(record.record_id);
    if (!old)
      changes.push({
        record_id: record.record_id,
        change: 'added',
        previous_grade: null,
        grade: record.grade,
      });
    else if (JSON.stringify(old) !== JSON.stringify(record)) {
      changes.push({
        record_id: record.record_id,
        change: 'changed',
        previous_grade: old.grade,
        grade: record.grade,
      });
    } else unchanged += 1;
  }
  for (const old of before.values())
    changes.push({
      record_id: old.record_id,
      change: 'removed',
      previous_grade: old.grade,
      grade: null,
    });

  return { changes, unchanged };
}

function validate(options: CreateCutoffOptions): void {
  if (!tenantIdSchema.safeParse(options.tenantId).success) {
    throw cutoffErrors.create('CUTOFF_ERR_INVALID_TENANT', '--tenant must look like t-09dpr0001a.');
  }
  if (!periodById(options.periodId)) {
    throw cutoffErrors.create(
      'CUTOFF_ERR_UNKNOWN_PERIOD',
      `Unknown period ${options.periodId}; use e.g. 2026-2027/P1.`,
    );
  }
}

/**
 * Freezes a period's consolidated grades into a new cutoff version under
 * `lake/cutoffs/`: per-school record files in the registry's shape, lineage,
 * unsendable students, a diff against the previous version, and a manifest
 * with SHA-256 per file. Files are written to a temporary directory and
 * renamed into place, so a cutoff is either whole or absent.
 *
 * @example
 * const manifest = await createCutoff({ lakeRoot, tenantId: 't-09dpr0001a',
 *   periodId: '2026-2027/P1', roster, grades: lakeConsolidatedGrades(lakeRoot),
 *   pseudonymizer, createdBy: 'operator-1' });
 * console.log(manifest.cutoff_id); // t-09dpr0001a.2026-2027-P1.v1
 */
export async function createCutoff(options: CreateCutoffOptions): Promise<CutoffManifest> {
  validate(options);
  const { lakeRoot, tenantId, periodId } = options;
  const key = periodKey(periodId);
  const grades = await options.grades.load(tenantId, periodId);
  if (grades.length === 0) {
    throw cutoffErrors.create(
      'CUTOFF_ERR_NO_GRADES',
      `No consolidated grades for ${tenantId} ${periodId}; run the grades job first.`,
    );
  }
  const built = buildRecords(
    tenantId,
    await options.roster.listStudentsWithCurp(tenantId),
    grades,
    options.pseudonymizer,
  );
  const versions = listVersions(lakeRoot, tenantId, key);
  const version = (versions.at(-1) ?? 0) + 1;
  const previousId = versions.length > 0 ? cutoffIdOf(tenantId, periodId, version - 1) : null;
  const cct = tenantId.replace(/^t-/, '').toUpperCase();
  const finalDir = cutoffDir(lakeRoot, tenantId, key, version);
  const tmpDir = `${finalDir}.tmp-${process.pid}`;
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });

  const files = [
    writeFrozen(tmpDir, `records-${cct}.jsonl`, 'records', cct, built.records),
    writeFrozen(tmpDir, 'lineage.jsonl', 'lineage', null, built.lineage),
    writeFrozen(tmpDir, 'unsendable.jsonl', 'unsendable', null, built.unsendable),
  ];
  let diff: CutoffDiff | null = null;
  if (previousId) {
    const previous = readCutoff(lakeRoot, previousId).records.get(cct) ?? [];
    const { changes, unchanged } = diffAgainst(previous, built.records);
    files.push(writeFrozen(tmpDir, 'diff.jsonl', 'diff', null, changes));
    const count = (change: string) => changes.filter((c) => c.change === change).length;
    diff = {
      previous_cutoff_id: previousId,
      added: count('added'),
      removed: count('removed'),
      changed: count('changed'),
      unchanged,
    };
  }
  const manifest = manifestOf(options, built, { version, cct, previousId, files, diff });
  writeFileSync(join(tmpDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, {
    mode: 0o444,
  });
  renameSync(tmpDir, finalDir);
  chmodSync(finalDir, 0o555);
  options.logger?.info(
    {
      tenant_id: tenantId,
      cutoff_id: manifest.cutoff_id,
      rows_out: built.records.length,
      unsendable: built.unsendable.length,
    },
    'cutoff frozen',
  );

  return manifest;
}

function manifestOf(
  options: CreateCutoffOptions,
  built: BuiltRecords,
  extra: {
    version: number;
    cct: string;
    previousId: string | null;
    files: CutoffFile[];
    diff: CutoffDiff | null;
  },
): CutoffManifest {
  const createdAt = options.now ?? new Date();
  const bySubject: Record<string, number> = {};
  for (const record of built.records)
    bySubject[record.subject_code] = (bySubject[record.subject_code] ?? 0) + 1;

  return {
    cutoff_id: cutoffIdOf(options.tenantId, options.periodId, extra.version),
    tenant_id: options.tenantId,
    cct: extra.cct,
    period_id: options.periodId,
    version: extra.version,
    created_at: createdAt.toISOString(),
    created_by: options.createdBy,
    deadline_at: new Date(createdAt.getTime() + deadlineHours * 3_600_000).toISOString(),
    previous_cutoff_id: extra.previousId,
    files: extra.files,
    totals: {
      students: built.studentCount,
      students_sendable: built.sendableStudents,
      students_unsendable: new Set(
        built.unsendable.filter((u) => u.reason !== 'UNKNOWN_STUDENT').map((u) => u.student_id),
      ).size,
      records: built.records.length,
      records_failing: built.records.filter((r) => r.grade < 6).length,
      grades_without_student: built.unsendable.filter((u) => u.reason === 'UNKNOWN_STUDENT').length,
      by_subject: bySubject,
    },
    policies: policiesOf(built),
    diff: extra.diff,
  };
}
