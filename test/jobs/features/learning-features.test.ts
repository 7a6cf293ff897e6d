import { describe, expect, it } from 'vitest';
import { events, featuresFor, local, tempLake, writeRawEvents } from './lake-fixture.js';

const asOf = '2026-10-15';
const day = (n: number) => local('2026-10-14', `${String(8 + n).padStart(2, '0')}:00`);

describe('feat_quiz', () => {
  it('computes attempts, accuracy and hint rate over the 30-day window', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [
      events.quiz('s1', day(0), true),
      events.quiz('s1', day(1), true),
      events.quiz('s1', day(2), false),
      events.quiz('s1', day(3), true),
      events.hint('s1', day(4)),
      events.quiz('s1', local('2026-09-15', '23:59'), false),
    ]);

    // Act
    const { value, rows } = await featuresFor(lake, 't-a', asOf);

    // Assess
    expect(value('s1/quiz_attempts_30d')).toBe(4);
    expect(value('s1/quiz_accuracy_30d')).toBe(0.75);
    expect(value('s1/hint_rate_30d')).toBe(0.25);
    expect(rows.get('s1/hint_rate_30d')?.event_count).toBe('5');
  });

  it('leaves accuracy and hint rate empty when there were no answers', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [events.hint('s1', day(0))]);

    // Act
    const { value } = await featuresFor(lake, 't-a', asOf);

    // Assess
    expect(value('s1/quiz_attempts_30d')).toBe(0);
    expect(value('s1/quiz_accuracy_30d')).toBeNull();
    expect(value('s1/hint_rate_30d')).toBeNull();
  });
});

describe('feat_video', () => {
  it('counts a video as completed from 90% of its length', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [
      events.video('s1', day(0), 90, 100),
      events.video('s1', day(1), 89, 100),
      events.video('s1', day(2), 100, 100),
      events.video('s1', day(3), 10, 100),
      events.session('s2', day(0)),
    ]);

    // Act
    const { value, rows } = await featuresFor(lake, 't-a', asOf);

    // Assess
    expect(value('s1/video_completion_rate_30d')).toBe(0.5);
    expect(rows.get('s1/video_completion_rate_30d')?.event_count).toBe('4');
    expect(value('s2/video_completion_rate_30d')).toBeNull();
  });
});

describe('feat_mastery', () => {
  it('smooths accuracy toward the Beta(2, 2) prior per topic', async () => {
    // Prepare
    const lake = tempLake();
    const threeRight = [0, 1, 2].map((n) => events.quiz('s1', day(n), true, 'fractions'));
    const twentyRight = Array.from({ length: 20 }, (_, n) =>
      events.quiz('s1', local('2026-10-13', `10:${String(n).padStart(2, '0')}`), true, 'algebra'),
    );
    const oneWrong = [events.quiz('s2', day(0), false, 'fractions')];
    await writeRawEvents(lake, 't-a', [...threeRight, ...twentyRight, ...oneWrong]);

    // Act
    const { value, rows } = await featuresFor(lake, 't-a', asOf);

    // Assess
    expect(value('s1/mastery/fractions')).toBeCloseTo(5 / 7, 10);
    expect(rows.get('s1/mastery/fractions')?.event_count).toBe('3');
    expect(rows.get('s1/mastery/fractions')?.detail).toBe('3');
    expect(value('s1/mastery/algebra')).toBeCloseTo(22 / 24, 10);
    expect(value('s2/mastery/fractions')).toBeCloseTo(2 / 5, 10);
    expect(rows.has('s2/mastery/algebra')).toBe(false);
  });
});
