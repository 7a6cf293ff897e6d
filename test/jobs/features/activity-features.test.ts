import { describe, expect, it } from 'vitest';
import { events, featuresFor, local, tempLake, writeRawEvents } from './lake-fixture.js';

// as_of 2026-10-15 is a Thursday; its 7-day window is Oct 9-15 (local), the
// previous week Oct 2-8, the 30-day window Sep 16 - Oct 15.
const asOf = '2026-10-15';

describe('feat_activity', () => {
  it('counts active days on the exact window boundaries in school-local time', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [
      events.session('s1', local('2026-10-15', '23:59')),
      events.session('s1', local('2026-10-09', '00:00')),
      events.session('s1', local('2026-10-08', '23:59')),
      events.session('s1', local('2026-09-16', '00:00')),
      events.session('s1', local('2026-09-15', '23:59')),
      events.session('s1', local('2026-10-16', '00:00')),
    ]);

    // Act
    const { value, rows } = await featuresFor(lake, 't-a', asOf);

    // Assess
    expect(value('s1/active_days_7d')).toBe(2);
    expect(rows.get('s1/active_days_7d')?.event_count).toBe('2');
    expect(value('s1/active_days_30d')).toBe(4);
    expect(rows.get('s1/active_days_30d')?.event_count).toBe('4');
  });

  it('uses school-local dates: 03:00 UTC on the 16th is still the 15th', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [events.session('s1', '2026-10-16T03:00:00.000Z')]);

    // Act
    const { value } = await featuresFor(lake, 't-a', asOf);

    // Assess
    expect(value('s1/active_days_7d')).toBe(1);
    expect(value('s1/usual_study_hour')).toBe(21);
  });

  it('gives zeros and an empty trend for a student whose only event is 20 days old', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [events.lesson('s1', local('2026-09-25', '10:00'), 600)]);

    // Act
    const { value, rows } = await featuresFor(lake, 't-a', asOf);

    // Assess
    expect(value('s1/active_days_7d')).toBe(0);
    expect(rows.get('s1/active_days_7d')?.event_count).toBe('0');
    expect(value('s1/engagement_minutes_7d')).toBe(0);
    expect(value('s1/engagement_trend_wow')).toBeNull();
    expect(value('s1/active_days_30d')).toBe(1);
  });

  it('sums engagement minutes from activity durations without adding sessions', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [
      events.session('s1', local('2026-10-14', '10:00')),
      events.lesson('s1', local('2026-10-14', '10:01'), 300),
      events.video('s1', local('2026-10-14', '10:10'), 90, 120),
      events.quiz('s1', local('2026-10-14', '10:15'), true, 'fractions', 30_000),
    ]);

    // Act
    const { value } = await featuresFor(lake, 't-a', asOf);

    // Assess: 300 + 90 + 30 seconds = 7 minutes.
    expect(value('s1/engagement_minutes_7d')).toBe(7);
  });

  it('computes the week-over-week trend and leaves it empty without a previous week', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [
      events.lesson('s1', local('2026-10-02', '10:00'), 1200),
      events.lesson('s1', local('2026-10-08', '23:59'), 1200),
      events.lesson('s1', local('2026-10-09', '00:00'), 1200),
      events.lesson('s2', local('2026-10-12', '10:00'), 600),
    ]);

    // Act
    const { value, rows } = await featuresFor(lake, 't-a', asOf);

    // Assess: 20 minutes this week against 40 the week before.
    expect(value('s1/engagement_trend_wow')).toBe(-0.5);
    expect(rows.get('s1/engagement_trend_wow')?.event_count).toBe('3');
    expect(value('s2/engagement_trend_wow')).toBeNull();
  });

  it('counts a redelivered event once', async () => {
    // Prepare
    const lake = tempLake();
    const event = {
      ...events.lesson('s1', local('2026-10-14', '10:00'), 600),
      eventId: '01890000-0000-7000-8000-0000000dup01',
    };
    await writeRawEvents(lake, 't-a', [event]);
    await writeRawEvents(lake, 't-a', [{ ...event, receivedAt: local('2026-10-14', '11:00') }]);

    // Act
    const { value, summary } = await featuresFor(lake, 't-a', asOf);

    // Assess
    expect(summary.tenants[0]?.rows_in).toBe(2);
    expect(summary.tenants[0]?.events_used).toBe(1);
    expect(value('s1/engagement_minutes_7d')).toBe(10);
  });

  it('keeps the first received copy when redelivered copies differ, and a row landed twice once', async () => {
    // Prepare: the copy written second was received first; s2's row lands twice as is.
    const lake = tempLake();
    const first = {
      ...events.lesson('s1', local('2026-10-14', '10:00'), 600),
      eventId: '01890000-0000-7000-8000-0000000dup02',
      receivedAt: local('2026-10-14', '10:01'),
    };
    const twice = {
      ...events.lesson('s2', local('2026-10-14', '10:00'), 300),
      eventId: '01890000-0000-7000-8000-0000000dup03',
    };
    const later = { ...first, ...events.lesson('s1', local('2026-10-14', '10:00'), 1200) };
    await writeRawEvents(lake, 't-a', [
      { ...later, eventId: first.eventId, receivedAt: local('2026-10-14', '12:00') },
      twice,
    ]);
    await writeRawEvents(lake, 't-a', [first, twice]);

    // Act
    const { value, summary } = await featuresFor(lake, 't-a', asOf);

    // Assess
    expect(summary.tenants[0]?.rows_in).toBe(4);
    expect(summary.tenants[0]?.events_used).toBe(2);
    expect(value('s1/engagement_minutes_7d')).toBe(10);
    expect(value('s2/engagement_minutes_7d')).toBe(5);
  });
});
