import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { opaqueId, periodId } from '../../../core/index.js';
import { gradesErrors } from '../errors.js';
import type { EvaluationRow } from '../grade-types.js';
import { decimalPlaces } from '../policy/policy-schema.js';

/** Tenant id the preview's rows carry (a preview never touches a real tenant). */
export const previewTenant = 'preview';

const score = z
  .number()
  .finite()
  .min(0)
  .max(1000)
  .refine((value) => decimalPlaces(value) <= 4, 'at most 4 decimals');

/** One line of a what-if evaluations file. */
export const previewLine = z.strictObject({
  student_id: opaqueId,
  subject: z.string().regex(/^[A-Z0-9_]{2,16}$/, 'a subject code is 2-16 of A-Z 0-9 _'),
  period: periodId,
  evaluation_id: opaqueId,
  category: opaqueId,
  score,
  max_score: score.refine((value) => value > 0, 'must be positive'),
  missing: z.boolean().default(false),
  extra_credit: z.boolean().default(false),
  voided: z.boolean().default(false),
  corrected_score: score.nullable().default(null),
});

const maxProblems = 20;

function parseLine(text: string, lineNo: number, problems: string[]): EvaluationRow | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    problems.push(`line ${lineNo}: not valid JSON`);
    return null;
  }
  const parsed = previewLine.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`line ${lineNo}: ${issue.path.join('.') || '(line)'}: ${issue.message}`);
    }
    return null;
  }
  const line = parsed.data;

  return {
    tenant_id: previewTenant,
    student_id: line.student_id,
    subject_code: line.subject,
    period_id: line.period,
    evaluation_id: line.evaluation_id,
    category: line.category,
    score: line.score,
    max_score: line.max_score,
    is_missing: line.missing,
    is_extra_credit: line.extra_credit,
    is_voided: line.voided,
    corrected_score: line.corrected_score,
  };
}

/**
 * Reads a what-if evaluations file (JSON Lines). Every bad line is reported
 * with its number (up to 20), and nothing runs unless the whole file is valid.
 */
export function readPreviewEvaluations(file: string): EvaluationRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw gradesErrors.create('GRADES_ERR_EVALUATIONS_INVALID', `cannot read ${file}`, {
      cause: err,
    });
  }
  const rows: EvaluationRow[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '' || problems.length >= maxProblems) return;
    const row = parseLine(raw, index + 1, problems);
    if (!row) return;
    const key = `${row.student_id}|${row.subject_code}|${row.period_id}|${row.evaluation_id}`;
    const first = seen.get(key);
    if (first) problems.push(`line ${index + 1}: evaluation_id repeats line ${first}`);
    seen.set(key, index + 1);
    rows.push(row);
  });
  if (problems.length > 0) {
    throw gradesErrors.create(
      'GRADES_ERR_EVALUATIONS_INVALID',
      `${file} has invalid lines; fix them and run again:\n  ${problems.slice(0, maxProblems).join('\n  ')}`,
      { details: { problems: problems.slice(0, maxProblems) } },
    );
  }

  return rows;
}
