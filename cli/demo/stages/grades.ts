import { join } from 'node:path';
import { curatedDir, loadPseudonymizer, repoRoot } from '../../../core/index.js';
import { DuckDbEngine, duckdbParquetRelation, sqlString } from '../../../jobs/engine/index.js';
import { runGradesJob, setPolicyFromFile } from '../../../jobs/grades/index.js';
import { runEvaluationsExport } from '../../commands/evaluations-run.js';
import { count, type DemoContext, type DemoStage } from '../context.js';
import type { SeedEvaluationLine } from './grades-store.js';

const policyFile = join(repoRoot, 'docs', 'examples', 'grades', 'policy-secundaria-2026.json');

interface GradeRow {
  subject_code: string;
  period_id: string;
  grade_text: string;
  is_passing: boolean;
  explanation: string;
}

/** Reads the consolidated grade of the student the demo corrected after close. */
async function gradeOf(context: DemoContext, target: SeedEvaluationLine): Promise<GradeRow> {
  const pseudonym = loadPseudonymizer(context.paths.secrets).pseudonym(
    target.tenant_id,
    target.student_id,
  );
  const engine = await DuckDbEngine.open({ threads: 2 });
  try {
    const relation = duckdbParquetRelation(
      curatedDir(context.paths.lake, 'consolidated_grades'),
      2,
    );
    const [row] = await engine.query<GradeRow & Record<string, unknown>>(
      `select subject_code, period_id, grade_text, is_passing, explanation
      from ${relation}
      where tenant_id = ${sqlString(target.tenant_id)}
          and student_id = ${sqlString(pseudonym)}
          and subject_code = ${sqlString(target.subject_code)}
          and period_id = ${sqlString(target.period_id)}`,
    );
    if (!row) throw new Error('the corrected student has no consolidated grade');

    return row;
  } finally {
    await engine.close();
  }
}

/** Per-tenant policy, consolidation in SQL on DuckDB, and one grade explaining itself. */
export const gradesStage: DemoStage = {
  title: 'Consolidated grades: per-tenant policy, SQL on DuckDB, explanations',
  async run(context: DemoContext) {
    const { paths, logger } = context;
    const [firstTenant] = (context.shared.seed as { tenants: string[] }).tenants;
    const policy = setPolicyFromFile(paths, String(firstTenant), policyFile);
    context.say(
      `   policy ${policy.policy_id} v${policy.version} set for ${policy.tenant_id} ` +
        `(${policy.hash.slice(0, 19)}..., grades from ${policy.first_period}); others use the default`,
    );
    const exported = await runEvaluationsExport({ dataDir: paths.root });
    context.say(`   evaluations snapshot: ${count(exported.rows)} rows -> ${exported.directory}`);
    const job = await runGradesJob({ paths, logger });
    context.say(
      `   jobs grades: ${count(job.rows_in)} evaluations in, ${count(job.grades_out)} grades and ` +
        `${count(job.averages_out)} general averages out in ${job.duration_ms} ms ` +
        `(${count(job.bytes_read)} bytes read) -> ${curatedDir(paths.lake, 'consolidated_grades')}`,
    );
    const target = context.shared.correctedEvaluation as SeedEvaluationLine;
    const grade = await gradeOf(context, target);
    const explanation = JSON.parse(grade.explanation) as Record<string, unknown>;
    context.say(
      `   the student corrected after close, ${grade.subject_code} ${grade.period_id}: ` +
        `${grade.grade_text} (${grade.is_passing ? 'passing' : 'failing'}); explanation keys: ` +
        Object.keys(explanation).join(', '),
    );
  },
};
