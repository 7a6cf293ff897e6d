import { describe, expect, it } from 'vitest';
import { activeSecondsOf, schoolDayOf } from '../../../jobs/realtime/index.js';

describe('schoolDayOf', () => {
  it('uses school-local dates and numbers school days across a weekend', () => {
    const friday = schoolDayOf('2026-10-10T05:59:59.000Z');
    const saturday = schoolDayOf('2026-10-10T06:00:00.000Z');
    const monday = schoolDayOf('2026-10-12T15:00:00.000Z');

    expect(friday).toMatchObject({ localDate: '2026-10-09', isSchoolDay: true });
    expect(saturday).toMatchObject({ localDate: '2026-10-10', isSchoolDay: false });
    expect(saturday.schoolDayIndex).toBe(friday.schoolDayIndex);
    expect(monday.schoolDayIndex).toBe(friday.schoolDayIndex + 1);
  });
});

describe('activeSecondsOf', () => {
  it('counts the same durations as the batch engagement minutes', () => {
    expect(activeSecondsOf('video.watched', { seconds_watched: 90, duration_seconds: 120 })).toBe(
      90,
    );
    expect(activeSecondsOf('quiz.answered', { time_ms: 30_000 })).toBe(30);
    expect(activeSecondsOf('lesson.completed', { duration_seconds: 300 })).toBe(300);
    expect(activeSecondsOf('session.ended', { duration_seconds: 900 })).toBe(0);
  });
});
