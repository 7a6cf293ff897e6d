import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../../core/index.js';
import {
  evaluationRecordedEvent,
  planSchool,
  type SeedEvaluation,
  schoolEvaluations,
  subjectsFor,
} from '../../../pipelines/seed/index.js';
import { fixedAsOf, fixedNow, rosterOptions, validationContext } from './factories.js';

function evaluationsOf(asOf = fixedAsOf, cutoffMs = fixedNow.getTime()): SeedEvaluation[] {
  const plan = planSchool(rosterOptions({ studentsPerSchool: 80 }), 1);

  return [...schoolEvaluations(plan, { seed: 'test-seed', asOf, cutoffMs })];
}

/** A score on the 0-10 scale. */
const outOf10 = (e: SeedEvaluation): number => (e.score / e.max_score) * 10;

describe('schoolEvaluations', () => {
  it('dates every evaluation on or before the as-of date and the cutoff', () => {
    const cutoffMs = Date.parse('2027-01-20T18:00:00Z');
    const evaluations = evaluationsOf('2027-01-20', cutoffMs);

    const late = evaluations.filter((e) => Date.parse(e.recorded_at) > cutoffMs);
    expect(evaluations.length).toBeGreaterThan(1000);
    expect(late).toEqual([]);
    expect(new Set(evaluations.map((e) => e.period_id))).toEqual(
      new Set(['2026-2027/P1', '2026-2027/P2']),
    );
  });

  it('generates nothing before the school year starts', () => {
    expect(evaluationsOf('2026-08-28', Date.parse('2026-08-29T00:00:00Z'))).toEqual([]);
  });

  it('mixes categories and keeps scores within their maximum', () => {
    const evaluations = evaluationsOf();
    const categories = new Set(evaluations.map((e) => e.category));
    const outOfRange = evaluations.filter((e) => e.score < 0 || e.score > e.max_score);

    expect([...categories].sort()).toEqual([
      'exam',
      'extra_credit',
      'homework',
      'participation',
      'project',
    ]);
    expect(new Set(evaluations.map((e) => e.max_score))).toEqual(new Set([10, 100]));
    expect(outOfRange).toEqual([]);
    expect(
      evaluations.filter((e) => e.is_extra_credit).every((e) => e.category === 'extra_credit'),
    ).toBe(true);
  });

  it('leaves a few evaluations missing, scored zero', () => {
    const evaluations = evaluationsOf();
    const missing = evaluations.filter((e) => e.is_missing);

    expect(missing.length / evaluations.length).toBeGreaterThan(0.01);
    expect(missing.length / evaluations.length).toBeLessThan(0.1);
    expect(missing.every((e) => e.score === 0)).toBe(true);
  });

  it('spreads student averages from failing to excellent', () => {
    const sums = new Map<string, { total: number; count: number }>();
    for (const e of evaluationsOf()) {
      if (e.is_missing || e.is_extra_credit) continue;
      const entry = sums.get(e.student_id) ?? { total: 0, count: 0 };
      sums.set(e.student_id, { total: entry.total + outOf10(e), count: entry.count + 1 });
    }
    const averages = [...sums.values()].map(({ total, count }) => total / count);

    expect(averages.some((average) => average < 6)).toBe(true);
    expect(averages.some((average) => average > 9)).toBe(true);
  });

  it('covers every subject of the student grade level, with its teacher', () => {
    const plan = planSchool(rosterOptions({ studentsPerSchool: 80 }), 1);
    const student = plan.students[0];
    const options = { seed: 'test-seed', asOf: fixedAsOf, cutoffMs: fixedNow.getTime() };
    const mine = [...schoolEvaluations(plan, options)].filter(
      (e) => e.student_id === student?.student_id,
    );

    const codes = new Set(mine.map((e) => e.subject_code));
    expect([...codes].sort()).toEqual(
      subjectsFor(student?.grade_level ?? 1)
        .map((s) => s.subject_code)
        .sort(),
    );
    for (const e of mine) expect(e.teacher_id).toBe(plan.teacherOf(e.group_id, e.subject_code));
  });
});

describe('evaluationRecordedEvent', () => {
  it('maps an evaluation to a valid evaluation.recorded v1 event with a stable id', () => {
    const evaluations = evaluationsOf().slice(0, 300);

    for (const evaluation of evaluations) {
      const event = evaluationRecordedEvent(evaluation);
      const result = validateEvent(event, { ...validationContext, tenantId: evaluation.tenant_id });
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect(event.event_id.slice(0, 13).replace('-', '')).toBe(
        Date.parse(evaluation.recorded_at).toString(16).padStart(12, '0'),
      );
    }
    const first = evaluations[0] as SeedEvaluation;
    expect(evaluationRecordedEvent(first).event_id).toBe(evaluationRecordedEvent(first).event_id);
    expect(evaluationRecordedEvent(first).actor).toEqual({ id: first.teacher_id, role: 'teacher' });
  });
});
