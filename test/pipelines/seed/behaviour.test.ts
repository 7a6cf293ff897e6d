import { describe, expect, it } from 'vitest';
import { type IncomingEnvelope, validateEvent } from '../../../core/index.js';
import {
  bellSchedules,
  engagementOn,
  isSchoolDay,
  planSchool,
  type SchoolPlan,
  schoolBehaviour,
  schoolDaysBack,
} from '../../../pipelines/seed/index.js';
import { fixedAsOf, fixedNow, rosterOptions, validationContext } from './factories.js';

function findSchool(
  level: 'primaria' | 'secundaria',
  shift: 'matutino' | 'vespertino',
): SchoolPlan {
  for (let index = 0; index < 200; index += 1) {
    const plan = planSchool(rosterOptions({ studentsPerSchool: 200 }), index);
    if (plan.school.level === level && plan.shift === shift) return plan;
  }
  throw new Error(`no ${level} ${shift} school in 200 tries`);
}

function behaviourOf(plan: SchoolPlan, days = 10): IncomingEnvelope[] {
  const options = {
    seed: 'test-seed',
    days: schoolDaysBack(fixedAsOf, days),
    cutoffMs: fixedNow.getTime(),
  };

  return [...schoolBehaviour(plan, options)];
}

/** Local (UTC-6) minutes after midnight of an instant. */
function localMinute(iso: string): number {
  const at = new Date(Date.parse(iso) - 6 * 3_600_000);

  return at.getUTCHours() * 60 + at.getUTCMinutes();
}

describe('schoolBehaviour', () => {
  it('bursts session starts in the first minute after each bell', () => {
    // Prepare
    const plan = findSchool('secundaria', 'matutino');
    const bells = bellSchedules.secundaria.matutino.classStarts;

    // Act
    const starts = behaviourOf(plan).filter((e) => e.event_type === 'session.started');

    // Assess: histogram of minutes since the latest bell, for class-time starts.
    const histogram = new Array<number>(50).fill(0);
    for (const event of starts) {
      const minute = localMinute(event.occurred_at);
      const bell = [...bells].reverse().find((b) => b <= minute);
      if (bell !== undefined && minute - bell < 50)
        histogram[minute - bell] = (histogram[minute - bell] ?? 0) + 1;
    }
    const inClass = histogram.reduce((a, b) => a + b, 0);
    const later = histogram.slice(5);
    expect(inClass).toBeGreaterThan(500);
    expect((histogram[0] ?? 0) / inClass).toBeGreaterThan(0.7);
    expect(histogram[0]).toBeGreaterThan(20 * Math.max(1, ...later));
  });

  it('puts the busiest minutes of the day on the bells of an afternoon primaria', () => {
    const plan = findSchool('primaria', 'vespertino');
    const bells = new Set(bellSchedules.primaria.vespertino.classStarts);
    const perMinute = new Map<number, number>();
    for (const e of behaviourOf(plan)) {
      if (e.event_type !== 'session.started') continue;
      const minute = localMinute(e.occurred_at);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }

    const busiest = [...perMinute].sort((a, b) => b[1] - a[1]).slice(0, bells.size);
    for (const [minute] of busiest) expect(bells.has(minute)).toBe(true);
  });

  it('produces events that validate against the contracts', () => {
    const plan = planSchool(rosterOptions(), 3);
    const events = behaviourOf(plan, 5);
    const types = new Set(events.map((e) => e.event_type));

    for (const event of events) {
      const result = validateEvent(event, {
        ...validationContext,
        tenantId: plan.school.tenant_id,
      });
      expect(result.ok, JSON.stringify(result)).toBe(true);
    }
    expect([...types].sort()).toEqual([
      'game.completed',
      'hint.requested',
      'lesson.completed',
      'quiz.answered',
      'session.ended',
      'session.started',
      'video.watched',
    ]);
  });

  it('dates events on school days only, and never after the cutoff', () => {
    const plan = planSchool(rosterOptions(), 4);
    const cutoffMs = Date.parse('2026-12-02T17:00:00Z');
    const days = schoolDaysBack(fixedAsOf, 15);
    const events = [...schoolBehaviour(plan, { seed: 'test-seed', days, cutoffMs })];

    const outside = events.filter((event) => {
      const localDate = new Date(Date.parse(event.occurred_at) - 6 * 3_600_000)
        .toISOString()
        .slice(0, 10);
      const isLate = Date.parse(event.occurred_at) > cutoffMs;

      return isLate || !isSchoolDay(localDate) || !days.includes(localDate);
    });
    expect(events.length).toBeGreaterThan(0);
    expect(outside).toEqual([]);
  });

  it('makes disengaging students less active at the end of the window than at the start', () => {
    const plan = planSchool(rosterOptions({ studentsPerSchool: 250, disengagingShare: 0.25 }), 5);
    const events = behaviourOf(plan, 24);
    const days = schoolDaysBack(fixedAsOf, 24);
    const early = new Set(days.slice(0, 6));
    const late = new Set(days.slice(-6));
    const disengaging = new Set(
      [...plan.traits].filter(([, t]) => t.disengageFrom !== null).map(([id]) => id),
    );
    const counts = { early: 0, late: 0 };
    for (const e of events) {
      if (e.event_type !== 'session.started' || !disengaging.has(e.student_id ?? '')) continue;
      const date = new Date(Date.parse(e.occurred_at) - 6 * 3_600_000).toISOString().slice(0, 10);
      if (early.has(date)) counts.early += 1;
      if (late.has(date)) counts.late += 1;
    }

    expect(disengaging.size).toBeGreaterThan(35);
    expect(counts.late).toBeLessThan(counts.early * 0.5);
  });
});

describe('engagementOn', () => {
  it('keeps the baseline until the decline starts, then falls to a tenth', () => {
    const traits = { ability: 0, engagement: 0.8, disengageFrom: 0.5 };

    expect(engagementOn(traits, 0, 11)).toBe(0.8);
    expect(engagementOn(traits, 5, 11)).toBe(0.8);
    expect(engagementOn(traits, 10, 11)).toBeCloseTo(0.08);
    expect(engagementOn({ ...traits, disengageFrom: null }, 10, 11)).toBe(0.8);
  });
});
