import { loadModel, type SqlEngine, sqlString } from '../../engine/index.js';
import { gradesEngineVars, type PolicyAssignment, policyRelations } from './policy-relations.js';

/** The grades models, in the order they run; each reads the ones before it. */
export const gradeModels = [
  'int_evaluation_values',
  'int_category_averages',
  'int_subject_totals',
  'consolidated_grades',
  'general_averages',
] as const;

export interface ConsolidationInput {
  /** A relation with the evaluation columns: a table name or `(select ...)`. */
  readonly evaluations: string;
  readonly assignments: readonly PolicyAssignment[];
  /** ISO instant stamped on every row and explanation. */
  readonly computedAt: string;
}

/** Names of the tables the run left behind (temporary, per connection). */
export interface ConsolidationTables {
  readonly consolidated_grades: string;
  readonly general_averages: string;
}

/**
 * Runs every grades model on the engine, materialising each one as a
 * temporary table so the next can read it, and returns the two marts.
 *
 * @example
 * const tables = await runGradeModels(engine, { evaluations, assignments, computedAt });
 * await engine.query(`select * from ${tables.consolidated_grades}`);
 */
export async function runGradeModels(
  engine: SqlEngine,
  input: ConsolidationInput,
): Promise<ConsolidationTables> {
  const vars: Record<string, string> = {
    ...gradesEngineVars[engine.name],
    evaluations: input.evaluations,
    computed_at: sqlString(input.computedAt),
  };
  for (const [name, sql] of Object.entries(policyRelations(input.assignments))) {
    const table = `grades_${name}`;
    await engine.run(`create or replace temp table ${table} as ${sql}`);
    vars[name] = table;
  }
  for (const model of gradeModels) {
    const table = `grades_${model}`;
    await engine.run(
      `create or replace temp table ${table} as ${loadModel(`grades/${model}.sql`, vars)}`,
    );
    vars[model] = table;
  }

  return {
    consolidated_grades: 'grades_consolidated_grades',
    general_averages: 'grades_general_averages',
  };
}

/** Columns of an evaluations JSON Lines file, typed for `read_json`. */
const evaluationJsonColumns = {
  tenant_id: 'VARCHAR',
  student_id: 'VARCHAR',
  subject_code: 'VARCHAR',
  period_id: 'VARCHAR',
  evaluation_id: 'VARCHAR',
  category: 'VARCHAR',
  score: 'DOUBLE',
  max_score: 'DOUBLE',
  is_missing: 'BOOLEAN',
  is_extra_credit: 'BOOLEAN',
  is_voided: 'BOOLEAN',
  corrected_score: 'DOUBLE',
} as const;

/** A DuckDB relation over a JSON Lines file of `EvaluationRow` objects. */
export function duckdbEvaluationsJsonl(file: string): string {
  const columns = Object.entries(evaluationJsonColumns)
    .map(([name, type]) => `${name}: '${type}'`)
    .join(', ');

  return `(select * from read_json(${sqlString(file)}, format = 'newline_delimited', columns = {${columns}}))`;
}
