import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { curatedDir, periodKey } from '../../core/index.js';
import { DuckDbEngine, sqlString } from '../engine/index.js';

/** A roster student as the cutoff needs it (the roster store is the only place with CURPs). */
export interface CutoffStudent {
  readonly student_id: string;
  readonly curp: string | null;
  readonly group_id: string;
  /** Printable group label (at most 8 characters) sent as the contract's `group`. */
  readonly group_label?: string;
  readonly grade_level: number;
  readonly cct: string;
}

/** Where the cutoff reads the roster from; the roster store implements it. */
export interface CutoffRosterSource {
  listStudentsWithCurp(
    tenantId: string,
  ): Iterable<CutoffStudent> | Promise<Iterable<CutoffStudent>>;
}

/** One consolidated grade as the grades job wrote it (student id is a pseudonym). */
export interface ConsolidatedGradeRow {
  readonly student_id: string;
  readonly subject_code: string;
  readonly period_id: string;
  /** Exact decimal as text, e.g. `7.8`. */
  readonly grade: string;
  readonly grade_unrounded: string | null;
  readonly policy_id: string;
  readonly policy_version: string;
  readonly policy_hash: string;
  readonly computed_at: string | null;
}

export interface ConsolidatedGradesSource {
  load(tenantId: string, periodId: string): Promise<ConsolidatedGradeRow[]>;
}

/** A roster held in memory (tests, and adapters over other stores). */
export function inMemoryRoster(students: readonly (CutoffStudent & { tenant_id: string })[]) {
  return {
    listStudentsWithCurp: (tenantId: string) => students.filter((s) => s.tenant_id === tenantId),
  } satisfies CutoffRosterSource;
}

/** Grades held in memory (tests). */
export function inMemoryGrades(rows: readonly (ConsolidatedGradeRow & { tenant_id: string })[]) {
  return {
    load: async (tenantId: string, periodId: string) =>
      rows.filter((row) => row.tenant_id === tenantId && row.period_id === periodId),
  } satisfies ConsolidatedGradesSource;
}

/**
 * Reads `<lake>/curated/consolidated_grades/tenant_id=<t>/period_key=<p>/*.parquet`
 * with DuckDB; grades come back as exact decimal text.
 */
export function lakeConsolidatedGrades(lakeRoot: string): ConsolidatedGradesSource {
  return {
    async load(tenantId, periodId) {
      const dir = join(
        curatedDir(lakeRoot, 'consolidated_grades'),
        `tenant_id=${tenantId}`,
        `period_key=${periodKey(periodId)}`,
      );
      if (!existsSync(dir) || !readdirSync(dir).some((f) => f.endsWith('.parquet'))) return [];
      const engine = await DuckDbEngine.open({ threads: 1 });
      try {
        return await engine.query<ConsolidatedGradeRow & Record<string, unknown>>(`
          select
              student_id,
              subject_code,
              cast(period_id as varchar) as period_id,
              cast(grade as varchar) as grade,
              cast(grade_unrounded as varchar) as grade_unrounded,
              cast(policy_id as varchar) as policy_id,
              cast(policy_version as varchar) as policy_version,
              cast(policy_hash as varchar) as policy_hash,
              cast(computed_at as varchar) as computed_at,
          from read_parquet(${sqlString(join(dir, '*.parquet'))}, hive_partitioning = false)
          order by student_id, subject_code`);
      } finally {
        await engine.close();
      }
    },
  };
}

/**
 * A roster read from a JSON-lines export (`<data-dir>/seed/roster.jsonl`:
 * `school`, `group` and `student` lines). Used until the roster store offers
 * the same interface.
 */
export function jsonlRoster(file: string): CutoffRosterSource {
  return {
    listStudentsWithCurp(tenantId) {
      if (!existsSync(file)) return [];
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      const rows = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const ofTenant = rows.filter((row) => row.tenant_id === tenantId);
      const cct = String(ofTenant.find((row) => row.kind === 'school')?.cct ?? '');
      const labels = new Map(
        ofTenant.filter((row) => row.kind === 'group').map((row) => [row.group_id, row.label]),
      );

      return ofTenant
        .filter((row) => row.kind === 'student')
        .map((row) => ({
          student_id: String(row.student_id),
          curp: typeof row.curp === 'string' ? row.curp : null,
          group_id: String(row.group_id),
          group_label: String(labels.get(row.group_id) ?? ''),
          grade_level: Number(row.grade_level),
          cct,
        }));
    },
  };
}

/** A student as the roster store returns it (the core `student` contract). */
interface StoredStudent {
  readonly tenant_id: string;
  readonly student_id: string;
  readonly curp: string | null;
  readonly group_id: string;
  readonly grade_level: number;
}

/**
 * Adapts the roster store (`listStudentsWithCurp` of the grades store) to the
 * cutoff. The school's CCT comes from the tenant id (`t-<cct lowercased>`);
 * the group id is sent as the contract's `group` when it fits in 8 characters.
 */
export function studentStoreRoster(store: {
  listStudentsWithCurp(tenantId: string): Promise<readonly StoredStudent[]>;
}): CutoffRosterSource {
  return {
    async listStudentsWithCurp(tenantId) {
      const cct = tenantId.replace(/^t-/, '').toUpperCase();

      return (await store.listStudentsWithCurp(tenantId)).map((s) => ({
        student_id: s.student_id,
        curp: s.curp,
        group_id: s.group_id,
        group_label: s.group_id.length <= 8 ? s.group_id : '',
        grade_level: s.grade_level,
        cct,
      }));
    },
  };
}
