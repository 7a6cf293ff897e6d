import type { IncomingEnvelope, Student } from '../../core/index.js';
import { bellSchedules, localToUtcMs } from './calendar.js';
import type { StudentTraits } from './people.js';
import { Rng } from './random.js';
import type { SchoolPlan } from './roster.js';
import { generateSession, type TimedEvent } from './sessions.js';
import { appSubjectsFor, subjectsFor } from './subjects.js';

export interface BehaviourOptions {
  readonly seed: string;
  /** The school days of the window, oldest first (`YYYY-MM-DD`). */
  readonly days: readonly string[];
  /** No event is generated after this instant (epoch ms). */
  readonly cutoffMs: number;
}

/** Chance that a teacher runs an app activity in one class of an app subject. */
const classUseChance = { primaria: 0.3, secundaria: 0.35 } as const;

/**
 * A student's chance of taking part on day `dayIndex` of the window: the
 * baseline engagement, falling towards a tenth of it after the point where a
 * disengaging student starts to drop off.
 */
export function engagementOn(traits: StudentTraits, dayIndex: number, dayCount: number): number {
  if (traits.disengageFrom === null) return traits.engagement;
  const progress = dayCount <= 1 ? 1 : dayIndex / (dayCount - 1);
  if (progress <= traits.disengageFrom) return traits.engagement;
  const factor = Math.max(0.1, 1 - (progress - traits.disengageFrom) / (1 - traits.disengageFrom));

  return traits.engagement * factor;
}

/** Seconds after the bell a student opens the app: most in the first minute, a few late. */
function startDelaySeconds(rng: Rng): number {
  return rng.chance(0.88) ? Math.min(59, 2 + rng.exponential(12)) : 60 + rng.exponential(150);
}

function deviceFor(plan: SchoolPlan, rng: Rng): 'web' | 'android' | 'ios' | 'kiosk' {
  if (plan.school.level === 'primaria') return rng.chance(0.6) ? 'kiosk' : 'web';

  return rng.chance(0.55) ? 'android' : rng.chance(0.3) ? 'ios' : 'web';
}

interface DayContext {
  readonly plan: SchoolPlan;
  readonly options: BehaviourOptions;
  readonly date: string;
  readonly dayIndex: number;
  readonly out: TimedEvent[];
}

function runClass(day: DayContext, groupStudents: Student[], slot: number, startMinutes: number) {
  const { plan, options, date } = day;
  const groupId = groupStudents[0]?.group_id ?? '';
  const gradeLevel = groupStudents[0]?.grade_level ?? 1;
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  const subject = new Rng(options.seed, 'timetable', groupId, weekday, slot).pick(
    subjectsFor(gradeLevel),
  );
  const isAppSubject = appSubjectsFor(gradeLevel).includes(subject);
  const classRng = new Rng(options.seed, 'class', groupId, date, slot);
  if (!isAppSubject || !classRng.chance(classUseChance[plan.school.level])) return;

  const bellMs = localToUtcMs(date, startMinutes);
  const classMinutes = bellSchedules[plan.school.level][plan.shift].classMinutes;
  for (const student of groupStudents) {
    const traits = plan.traits.get(student.student_id) as StudentTraits;
    const rng = new Rng(options.seed, 'session', student.student_id, date, slot);
    if (!rng.chance(engagementOn(traits, day.dayIndex, options.days.length))) continue;
    const startMs = bellMs + Math.round(startDelaySeconds(rng) * 1000);
    const budgetSeconds = Math.round(rng.between(8, classMinutes - 20) * 60);
    const input = {
      tenantId: plan.school.tenant_id,
      studentId: student.student_id,
      subjectCode: subject.subject_code,
      ability: traits.ability,
      engagement: traits.engagement,
      device: deviceFor(plan, rng),
      startMs,
      budgetSeconds,
    };
    for (const timed of generateSession(input, rng)) day.out.push(timed);
  }
}

/** Homework after school (before school for the afternoon shift), for some students. */
function runHomework(day: DayContext, student: Student) {
  const { plan, options, date } = day;
  const traits = plan.traits.get(student.student_id) as StudentTraits;
  const rng = new Rng(options.seed, 'homework', student.student_id, date);
  if (!rng.chance(0.35 * engagementOn(traits, day.dayIndex, options.days.length))) return;

  const localStart =
    plan.shift === 'matutino' ? rng.int(16 * 60, 21 * 60 + 30) : rng.int(9 * 60, 12 * 60);
  const subject = rng.pick(appSubjectsFor(student.grade_level));
  const input = {
    tenantId: plan.school.tenant_id,
    studentId: student.student_id,
    subjectCode: subject.subject_code,
    ability: traits.ability,
    engagement: traits.engagement,
    device: deviceFor(plan, rng),
    startMs: localToUtcMs(date, localStart) + rng.int(0, 59_999),
    budgetSeconds: rng.int(8, 35) * 60,
  };
  for (const timed of generateSession(input, rng)) day.out.push(timed);
}

function schoolDay(
  plan: SchoolPlan,
  byGroup: Map<string, Student[]>,
  day: DayContext,
): TimedEvent[] {
  const bells = bellSchedules[plan.school.level][plan.shift];
  for (const groupStudents of byGroup.values()) {
    for (const [slot, start] of bells.classStarts.entries()) {
      runClass(day, groupStudents, slot, start);
    }
  }
  for (const student of plan.students) runHomework(day, student);

  return day.out.filter((timed) => timed.ms <= day.options.cutoffMs).sort((a, b) => a.ms - b.ms);
}

/**
 * The behaviour events of one school over the window, in time order within
 * each school day. Class sessions start at the bells: when a teacher runs an
 * app activity, most of the group opens a session within the first minute.
 * Memory holds one school day of one school at a time.
 */
export function* schoolBehaviour(
  plan: SchoolPlan,
  options: BehaviourOptions,
): Generator<IncomingEnvelope> {
  const byGroup = new Map<string, Student[]>();
  for (const student of plan.students) {
    const list = byGroup.get(student.group_id) ?? [];
    list.push(student);
    byGroup.set(student.group_id, list);
  }
  for (const [dayIndex, date] of options.days.entries()) {
    const events = schoolDay(plan, byGroup, { plan, options, date, dayIndex, out: [] });
    for (const timed of events) yield timed.event;
  }
}
