import { type SchoolPeriod, type Student, schoolPeriods } from '../../core/index.js';
import { localToUtcMs, schoolDaysBetween } from './calendar.js';
import type { StudentTraits } from './people.js';
import { Rng } from './random.js';
import type { SchoolPlan } from './roster.js';
import { subjectsFor } from './subjects.js';

/** A recorded evaluation, as `seed/evaluations.jsonl` holds it (the grades store imports it). */
export interface SeedEvaluation {
  tenant_id: string;
  evaluation_id: string;
  student_id: string;
  group_id: string;
  teacher_id: string;
  subject_code: string;
  period_id: string;
  category: string;
  score: number;
  max_score: number;
  is_missing: boolean;
  is_extra_credit: boolean;
  recorded_at: string;
}

/** One piece of work a teacher sets a whole group, on a day of the period. */
interface PlannedItem {
  readonly category: 'exam' | 'homework' | 'project' | 'participation' | 'extra_credit';
  /** Position in the period, 0 (first school day) to 1 (last). */
  readonly at: number;
  readonly maxScore: 10 | 100;
}

/** Per period: 2 exams, 6 homeworks, 1 project, 2 participation marks, sometimes extra credit. */
function planItems(rng: Rng): PlannedItem[] {
  const max = (): 10 | 100 => (rng.chance(0.5) ? 10 : 100);
  const items: PlannedItem[] = [
    { category: 'exam', at: rng.between(0.4, 0.5), maxScore: max() },
    { category: 'exam', at: rng.between(0.9, 0.98), maxScore: max() },
    { category: 'project', at: rng.between(0.7, 0.85), maxScore: max() },
    { category: 'participation', at: 0.5, maxScore: 10 },
    { category: 'participation', at: 1, maxScore: 10 },
  ];
  for (let week = 0; week < 6; week += 1) {
    items.push({ category: 'homework', at: (week + rng.between(0.2, 0.9)) / 6, maxScore: 10 });
  }
  if (rng.chance(0.25))
    items.push({ category: 'extra_credit', at: rng.between(0.3, 0.9), maxScore: 10 });

  return items.sort((a, b) => a.at - b.at);
}

const categoryShift = {
  exam: -0.6,
  homework: 0.4,
  project: 0.2,
  participation: 0.5,
  extra_credit: 0,
} as const;

function scoreOf(item: PlannedItem, mean: number, engagement: number, rng: Rng) {
  const missingChance =
    item.category === 'exam'
      ? 0.01
      : item.category === 'homework'
        ? 0.03 + 0.15 * (1 - engagement)
        : 0.02;
  if (item.category !== 'extra_credit' && rng.chance(missingChance))
    return { score: 0, is_missing: true };

  const out10 =
    item.category === 'extra_credit'
      ? rng.between(3, 10)
      : Math.max(0, Math.min(10, mean + categoryShift[item.category] + 0.9 * rng.normal()));
  const score = item.maxScore === 10 ? Math.round(out10 * 10) / 10 : Math.round(out10 * 10);

  return { score, is_missing: false };
}

/** Local minutes after midnight when teachers capture grades (afternoon or evening). */
function captureMinutes(plan: SchoolPlan, rng: Rng): number {
  return (plan.shift === 'matutino' ? 14 * 60 : 19 * 60) + rng.int(0, 150);
}

export interface EvaluationOptions {
  readonly seed: string;
  /** Last date (`YYYY-MM-DD`) an evaluation may be dated. */
  readonly asOf: string;
  /** No evaluation is recorded after this instant (epoch ms): `now`, when the as-of date is today. */
  readonly cutoffMs: number;
}

interface SubjectContext {
  readonly plan: SchoolPlan;
  readonly student: Student;
  readonly traits: StudentTraits;
  readonly code: string;
  readonly period: SchoolPeriod;
  /** The period's school days. */
  readonly days: readonly string[];
  readonly options: EvaluationOptions;
}

function evaluationId(context: SubjectContext, position: number): string {
  const { student, code, period } = context;
  const tag = `${code.toLowerCase()}-${period.period_key.toLowerCase()}`;

  return `ev-${student.student_id.slice(4)}-${tag}-${String(position + 1).padStart(2, '0')}`;
}

/** One student's evaluations in one subject and period. */
function* subjectEvaluations(context: SubjectContext): Generator<SeedEvaluation> {
  const { plan, student, traits, code, period, days, options } = context;
  const planRng = new Rng(options.seed, 'items', student.group_id, code, period.period_id);
  const rng = new Rng(options.seed, 'scores', student.student_id, code, period.period_id);
  const mean = 7.6 + 1.3 * traits.ability + 0.5 * rng.normal();
  const teacher_id = plan.teacherOf(student.group_id, code);

  for (const [position, item] of planItems(planRng).entries()) {
    const day = days[Math.min(days.length - 1, Math.round(item.at * (days.length - 1)))] ?? '';
    const captureRng = new Rng(
      options.seed,
      'capture',
      student.group_id,
      code,
      period.period_id,
      position,
    );
    const recordedMs = localToUtcMs(day, captureMinutes(plan, captureRng)) + rng.int(0, 59_000);
    const result = scoreOf(item, mean, traits.engagement, rng);
    if (day > options.asOf || recordedMs > options.cutoffMs) continue;
    yield {
      tenant_id: plan.school.tenant_id,
      evaluation_id: evaluationId(context, position),
      student_id: student.student_id,
      group_id: student.group_id,
      teacher_id,
      subject_code: code,
      period_id: period.period_id,
      category: item.category,
      score: result.score,
      max_score: item.maxScore,
      is_missing: result.is_missing,
      is_extra_credit: item.category === 'extra_credit',
      recorded_at: new Date(recordedMs).toISOString(),
    };
  }
}

function* periodEvaluations(
  plan: SchoolPlan,
  period: SchoolPeriod,
  options: EvaluationOptions,
): Generator<SeedEvaluation> {
  const days = schoolDaysBetween(period.starts_on, period.ends_on);
  if (days.length === 0) return;

  for (const student of plan.students) {
    const traits = plan.traits.get(student.student_id);
    if (!traits) continue;
    for (const { subject_code: code } of subjectsFor(student.grade_level)) {
      yield* subjectEvaluations({ plan, student, traits, code, period, days, options });
    }
  }
}

/**
 * The evaluations of one school across the school year's periods, dated up to
 * the as-of date: per student, subject and period a mix of exams, homework, a
 * project, participation and sometimes extra credit, scored around the
 * student's ability (so grades spread from failing to 10), with a few missing.
 * Streams: nothing but the school's roster is held.
 */
export function* schoolEvaluations(
  plan: SchoolPlan,
  options: EvaluationOptions,
): Generator<SeedEvaluation> {
  for (const period of schoolPeriods) {
    if (period.starts_on > options.asOf) continue;
    yield* periodEvaluations(plan, period, options);
  }
}
