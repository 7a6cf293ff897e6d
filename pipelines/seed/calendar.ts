/**
 * School days and bell times. Schools are in America/Mexico_City, which has been
 * UTC-6 all year since Mexico dropped daylight saving time in 2022, so a local
 * time converts to UTC by adding six hours.
 */

export const utcOffsetHours = 6;

/** Days without classes in 2026-2027 (national holidays and the winter and spring breaks). */
const daysOff = new Set([
  '2026-09-16',
  '2026-11-02',
  '2026-11-16',
  ...dateRange('2026-12-21', '2027-01-06'),
  '2027-02-01',
  '2027-03-15',
  ...dateRange('2027-03-22', '2027-04-02'),
  '2027-05-01',
  '2027-05-05',
  '2027-05-15',
]);

function dateRange(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); ) {
    dates.push(new Date(at).toISOString().slice(0, 10));
    at += 86_400_000;
  }

  return dates;
}

/** True for Monday-Friday dates (`YYYY-MM-DD`) that are not days off. */
export function isSchoolDay(date: string): boolean {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();

  return weekday >= 1 && weekday <= 5 && !daysOff.has(date);
}

/** The `count` most recent school days up to `asOf` (included), oldest first. */
export function schoolDaysBack(asOf: string, count: number): string[] {
  const days: string[] = [];
  let at = Date.parse(`${asOf}T12:00:00Z`);
  while (days.length < count) {
    const date = new Date(at).toISOString().slice(0, 10);
    if (isSchoolDay(date)) days.push(date);
    at -= 86_400_000;
  }

  return days.reverse();
}

/** School days from `from` to `to`, both included. */
export function schoolDaysBetween(from: string, to: string): string[] {
  return from > to ? [] : dateRange(from, to).filter(isSchoolDay);
}

/** UTC epoch milliseconds of a local Mexico City time on a date. */
export function localToUtcMs(date: string, localMinutes: number): number {
  return Date.parse(`${date}T00:00:00Z`) + (localMinutes + utcOffsetHours * 60) * 60_000;
}

export type Shift = 'matutino' | 'vespertino';
export type Level = 'primaria' | 'secundaria';

/** Class start times in local minutes after midnight, per level and shift. */
export interface BellSchedule {
  readonly classStarts: readonly number[];
  readonly classMinutes: number;
}

const at = (hours: number, minutes = 0): number => hours * 60 + minutes;

/**
 * Bells: primaria 8:00 with 50-minute classes and a 30-minute break at 10:30;
 * secundaria 7:00 with 50-minute modules and a 20-minute break at 9:30; the
 * afternoon shift (vespertino) starts at 14:00 (primaria) or 13:40 (secundaria).
 */
export const bellSchedules: Readonly<Record<Level, Record<Shift, BellSchedule>>> = {
  primaria: {
    matutino: { classStarts: [at(8), at(8, 50), at(9, 40), at(11), at(11, 50)], classMinutes: 50 },
    vespertino: {
      classStarts: [at(14), at(14, 50), at(15, 40), at(17), at(17, 50)],
      classMinutes: 50,
    },
  },
  secundaria: {
    matutino: {
      classStarts: [at(7), at(7, 50), at(8, 40), at(9, 50), at(10, 40), at(11, 30), at(12, 20)],
      classMinutes: 50,
    },
    vespertino: {
      classStarts: [at(13, 40), at(14, 30), at(15, 20), at(16, 30), at(17, 20), at(18, 10)],
      classMinutes: 50,
    },
  },
};
