import { describe, expect, it } from 'vitest';
import { AdaptiveTimeout } from '../../../jobs/sync/adaptive-timeout.js';

function timeout(overrides: Partial<ConstructorParameters<typeof AdaptiveTimeout>[0]> = {}) {
  return new AdaptiveTimeout({
    floorMs: 100,
    ceilingMs: 10_000,
    multiplier: 4,
    window: 100,
    minSamples: 20,
    tickMs: 10,
    ...overrides,
  });
}

describe('AdaptiveTimeout', () => {
  it('uses the ceiling until enough answers are seen', () => {
    // Prepare
    const t = timeout();

    // Act
    for (let i = 0; i < 19; i += 1) t.record(50);

    // Assess
    expect(t.p99()).toBeNull();
    expect(t.current()).toBe(10_000);
  });

  it('becomes the multiplier times the p99 of recent answers, in whole milliseconds', () => {
    // Prepare
    const t = timeout();

    // Act: 99 fast answers and one slow one; the p99 is the 99th of 100
    for (let i = 0; i < 99; i += 1) t.record(10.25);
    t.record(900);

    // Assess
    expect(t.p99()).toBe(10.25);
    expect(t.current()).toBe(Math.max(100, 41));
  });

  it('stays within the floor and the ceiling', () => {
    // Prepare
    const fast = timeout();
    const slow = timeout();

    // Act
    for (let i = 0; i < 32; i += 1) fast.record(1);
    for (let i = 0; i < 32; i += 1) slow.record(5_000);

    // Assess
    expect(fast.current()).toBe(100);
    expect(slow.current()).toBe(10_000);
  });

  it('forgets answers older than the window', () => {
    // Prepare
    const t = timeout({ window: 32 });
    for (let i = 0; i < 32; i += 1) t.record(2_000);

    // Act
    for (let i = 0; i < 32; i += 1) t.record(30);

    // Assess
    expect(t.p99()).toBe(30);
    expect(t.current()).toBe(120);
  });

  it('aborts a watched request once it waits longer than the current timeout', async () => {
    // Prepare: a request leaves before any answer is known (ceiling 10 s)
    const t = timeout();
    const watch = t.watch();
    const other = t.watch();
    other.release();

    // Act: answers arrive and bring the timeout down to the floor
    for (let i = 0; i < 20; i += 1) t.record(5);
    await new Promise((resolve) => setTimeout(resolve, 250));

    // Assess
    expect(watch.signal.aborted).toBe(true);
    expect((watch.signal.reason as Error).name).toBe('TimeoutError');
    expect(other.signal.aborted).toBe(false);
    watch.release();
  });
});
