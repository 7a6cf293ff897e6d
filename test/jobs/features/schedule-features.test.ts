import { describe, expect, it } from 'vitest';
import { events, featuresFor, local, tempLake, writeRawEvents } from './lake-fixture.js';

const activeOn = (student: string, dates: string[], time = '10:00') =>
  dates.map((date) => events.session(student, local(date, time)));

describe('feat_streak', () => {
  it('counts consecutive school days across a weekend without counting the weekend', async () => {
    // Prepare: Fri 9 (gap on Thu 8), Sat 10, Mon 12 to Thu 15.
    const lake = tempLake();
    const dates = [
      '2026-10-07',
      '2026-10-09',
      '2026-10-10',
      '2026-10-12',
      '2026-10-13',
      '2026-10-14',
      '2026-10-15',
    ];
    await writeRawEvents(lake, 't-a', activeOn('s1', dates));

    // Act
    const { value } = await featuresFor(lake, 't-a', '2026-10-15');

    // Assess
    expect(value('s1/streak_school_days')).toBe(5);
    expect(value('s1/inactive_school_days')).toBe(0);
  });

  it('is 0 when the last school day had no activity, and maps a Saturday as_of to Friday', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [
      ...activeOn('s1', ['2026-10-12', '2026-10-13', '2026-10-14']),
      ...activeOn('s2', ['2026-10-15', '2026-10-16']),
    ]);

    // Act
    const thursday = await featuresFor(lake, 't-a', '2026-10-15');
    const saturday = await featuresFor(lake, 't-a', '2026-10-17');

    // Assess
    expect(thursday.value('s1/streak_school_days')).toBe(0);
    expect(thursday.value('s1/inactive_school_days')).toBe(1);
    expect(saturday.value('s2/streak_school_days')).toBe(2);
    expect(saturday.value('s1/inactive_school_days')).toBe(2);
  });
});

describe('feat_disengagement', () => {
  it('raises the flag after 5 inactive school days and names the clause', async () => {
    // Prepare: last active Thursday Oct 8; as_of Thursday Oct 15 is 5 school days later.
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [
      ...activeOn('s1', ['2026-10-08']),
      ...activeOn('s2', ['2026-10-09']),
    ]);

    // Act
    const { value, rows } = await featuresFor(lake, 't-a', '2026-10-15');

    // Assess
    expect(value('s1/inactive_school_days')).toBe(5);
    expect(value('s1/disengagement_flag')).toBe(1);
    expect(rows.get('s1/disengagement_flag')?.detail).toBe('inactive_school_week');
    expect(value('s2/inactive_school_days')).toBe(4);
    expect(value('s2/disengagement_flag')).toBe(0);
    expect(rows.get('s2/disengagement_flag')?.detail).toBe('');
  });

  it('raises the flag for one active day and halved engagement, not for an empty trend', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [
      events.lesson('s1', local('2026-10-05', '10:00'), 1200),
      events.lesson('s1', local('2026-10-06', '10:00'), 1200),
      events.lesson('s1', local('2026-10-15', '10:00'), 1200),
      events.lesson('s2', local('2026-10-15', '10:00'), 60),
    ]);

    // Act
    const { value, rows } = await featuresFor(lake, 't-a', '2026-10-15');

    // Assess
    expect(value('s1/active_days_7d')).toBe(1);
    expect(value('s1/engagement_trend_wow')).toBe(-0.5);
    expect(rows.get('s1/disengagement_flag')?.detail).toBe('low_activity_and_falling');
    expect(value('s2/engagement_trend_wow')).toBeNull();
    expect(value('s2/disengagement_flag')).toBe(0);
  });
});

describe('feat_study_hour', () => {
  it('picks the local hour with most events and the earlier hour on a tie', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [
      ...activeOn('s1', ['2026-10-12', '2026-10-13'], '17:10'),
      ...activeOn('s1', ['2026-10-14', '2026-10-15'], '08:59'),
      ...activeOn('s2', ['2026-10-12', '2026-10-13'], '19:00'),
      ...activeOn('s2', ['2026-10-14'], '07:00'),
    ]);

    // Act
    const { value, rows } = await featuresFor(lake, 't-a', '2026-10-15');

    // Assess
    expect(value('s1/usual_study_hour')).toBe(8);
    expect(rows.get('s1/usual_study_hour')?.event_count).toBe('4');
    expect(value('s2/usual_study_hour')).toBe(19);
  });
});
