/**
 * The school year's evaluation periods (SEP: three per year). A period closes a
 * week after it ends; after `closes_on` only corrections with a reason are
 * accepted, and they are audited.
 */
export interface SchoolPeriod {
  readonly period_id: string;
  /** Path-safe form used in lake partitions: `2026-2027-P1`. */
  readonly period_key: string;
  readonly starts_on: string;
  readonly ends_on: string;
  readonly closes_on: string;
}

export const schoolYear = '2026-2027';

export const schoolPeriods: readonly SchoolPeriod[] = [
  {
    period_id: '2026-2027/P1',
    period_key: '2026-2027-P1',
    starts_on: '2026-08-31',
    ends_on: '2026-11-27',
    closes_on: '2026-12-04',
  },
  {
    period_id: '2026-2027/P2',
    period_key: '2026-2027-P2',
    starts_on: '2026-11-30',
    ends_on: '2027-03-12',
    closes_on: '2027-03-19',
  },
  {
    period_id: '2026-2027/P3',
    period_key: '2026-2027-P3',
    starts_on: '2027-03-15',
    ends_on: '2027-07-16',
    closes_on: '2027-07-23',
  },
];

/** The period a date (`YYYY-MM-DD`) falls in, or the last one that started before it. */
export function periodOn(date: string): SchoolPeriod | undefined {
  return [...schoolPeriods].reverse().find((period) => period.starts_on <= date);
}

export function periodById(periodId: string): SchoolPeriod | undefined {
  return schoolPeriods.find((period) => period.period_id === periodId);
}

/** `2026-2027/P1` to `2026-2027-P1` (safe in a path or partition value). */
export function periodKey(periodId: string): string {
  return periodId.replace('/', '-');
}

/** True when a change on `date` is after the period's close. */
export function isAfterClose(period: SchoolPeriod, date: string): boolean {
  return date > period.closes_on;
}
