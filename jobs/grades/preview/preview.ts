import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { DuckDbEngine } from '../../engine/index.js';
import { duckdbEvaluationsJsonl, runGradeModels } from '../consolidation/run-models.js';
import { gradesErrors } from '../errors.js';
import type { EvaluationRow, GradeExplanation } from '../grade-types.js';
import { type GradingPolicy, policyHash } from '../policy/policy-schema.js';

/** One previewed grade, as printed by `luca grades preview`. */
export interface PreviewGrade {
  student_id: string;
  subject: string;
  period: string;
  grade: string | null;
  grade_unrounded: string | null;
  is_passing: boolean | null;
  explanation: GradeExplanation;
}

/** Runs the real SQL models on DuckDB over the given rows, under one policy. */
export async function previewGrades(
  policy: GradingPolicy,
  rows: readonly EvaluationRow[],
  computedAt = new Date().toISOString(),
): Promise<PreviewGrade[]> {
  if (rows.length === 0) {
    throw gradesErrors.create('GRADES_ERR_NO_EVALUATIONS', 'the evaluations file has no lines');
  }
  const dir = mkdtempSync(join(tmpdir(), 'luca-preview-'));
  const engine = await DuckDbEngine.open({ threads: 2 });
  try {
    const file = join(dir, 'evaluations.jsonl');
    writeFileSync(file, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
    const hashedPolicy = { policy, hash: policyHash(policy) };
    const pairs = new Set(rows.map((row) => `${row.tenant_id}\u0000${row.period_id}`));
    const assignments = [...pairs].map((pair) => {
      const [tenant_id = '', period_id = ''] = pair.split('\u0000');
      return { tenant_id, period_id, policy: hashedPolicy };
    });
    const evaluations = duckdbEvaluationsJsonl(file);
    const tables = await runGradeModels(engine, { evaluations, assignments, computedAt });
    const result = await engine.query(
      `select * from ${tables.consolidated_grades} order by student_id, subject_code, period_id`,
    );

    return result.map((row) => {
      const explanation = JSON.parse(String(row.explanation)) as GradeExplanation;
      return {
        student_id: String(row.student_id),
        subject: String(row.subject_code),
        period: String(row.period_id),
        grade: explanation.grade,
        grade_unrounded: explanation.unrounded,
        is_passing: (row.is_passing as boolean | null) ?? null,
        explanation,
      };
    });
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How one grade changes between two policies. */
export interface GradeDifference {
  student_id: string;
  subject: string;
  period: string;
  grade: string | null;
  compared_grade: string | null;
  delta: string | null;
  /** `becomes_passing`, `becomes_failing`, or null when the passing status holds. */
  crossing: 'becomes_passing' | 'becomes_failing' | null;
}

/** Compares the preview of the same evaluations under two policies, grade by grade. */
export function compareGrades(
  current: readonly PreviewGrade[],
  compared: readonly PreviewGrade[],
): {
  differences: GradeDifference[];
  changed: number;
  becomes_passing: number;
  becomes_failing: number;
} {
  const keyOf = (grade: PreviewGrade) => `${grade.student_id}|${grade.subject}|${grade.period}`;
  const byKey = new Map(compared.map((grade) => [keyOf(grade), grade]));
  const differences = current.map((grade): GradeDifference => {
    const other = byKey.get(keyOf(grade));
    const otherGrade = other?.grade ?? null;
    const delta =
      grade.grade !== null && otherGrade !== null
        ? new Decimal(otherGrade).minus(grade.grade).toString()
        : null;
    const before = grade.is_passing;
    const after = other?.is_passing ?? null;
    const crossing =
      before === false && after === true
        ? 'becomes_passing'
        : before === true && after === false
          ? 'becomes_failing'
          : null;

    return {
      student_id: grade.student_id,
      subject: grade.subject,
      period: grade.period,
      grade: grade.grade,
      compared_grade: otherGrade,
      delta,
      crossing,
    };
  });

  return {
    differences,
    changed: differences.filter((difference) => difference.grade !== difference.compared_grade)
      .length,
    becomes_passing: differences.filter((difference) => difference.crossing === 'becomes_passing')
      .length,
    becomes_failing: differences.filter((difference) => difference.crossing === 'becomes_failing')
      .length,
  };
}
