import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '../../../jobs/engine/index.js';
import type { PolicyAssignment } from '../../../jobs/grades/consolidation/policy-relations.js';
import {
  duckdbEvaluationsJsonl,
  runGradeModels,
} from '../../../jobs/grades/consolidation/run-models.js';
import type { EvaluationRow, GradeExplanation } from '../../../jobs/grades/grade-types.js';

/** A consolidated grade as the SQL model returns it, in the reference's shape. */
export interface SqlGrade {
  key: string;
  grade: string | null;
  grade_unrounded: string | null;
  is_passing: boolean | null;
  explanation: GradeExplanation;
}

export interface SqlAverage {
  key: string;
  general_average: string;
  general_average_unrounded: string;
  subjects_count: number;
  subject_codes: string;
}

export const keyOf = (row: {
  tenant_id: string;
  period_id: string;
  student_id: string;
  subject_code?: string;
}) => [row.tenant_id, row.period_id, row.student_id, row.subject_code ?? ''].join('|');

/** Runs the real SQL models on DuckDB over `rows` (one JSONL file, one run). */
export async function runSql(
  rows: readonly EvaluationRow[],
  assignments: readonly PolicyAssignment[],
  computedAt: string,
): Promise<{ grades: Map<string, SqlGrade>; averages: Map<string, SqlAverage> }> {
  const dir = mkdtempSync(join(tmpdir(), 'luca-grades-'));
  const file = join(dir, 'evaluations.jsonl');
  writeFileSync(file, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
  const engine = await DuckDbEngine.open({ threads: 2 });
  try {
    const evaluations = duckdbEvaluationsJsonl(file);
    const tables = await runGradeModels(engine, { evaluations, assignments, computedAt });
    const grades = await engine.query(`select * from ${tables.consolidated_grades}`);
    const averages = await engine.query(`select * from ${tables.general_averages}`);

    return {
      grades: new Map(
        grades.map((row) => {
          const key = keyOf(row as never);
          const explanation = JSON.parse(String(row.explanation)) as GradeExplanation;
          return [
            key,
            {
              key,
              grade: (row.grade_text as string | null) ?? null,
              grade_unrounded: explanation.unrounded,
              is_passing: (row.is_passing as boolean | null) ?? null,
              explanation,
            },
          ];
        }),
      ),
      averages: new Map(
        averages.map((row) => {
          const key = keyOf(row as never);
          return [
            key,
            {
              key,
              general_average: String(row.general_average_text),
              general_average_unrounded: String(row.general_average_unrounded).replace(
                /\.?0+$/,
                '',
              ),
              subjects_count: Number(row.subjects_count),
              subject_codes: String(row.subject_codes),
            },
          ];
        }),
      ),
    };
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
