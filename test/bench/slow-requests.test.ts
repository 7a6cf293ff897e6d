import { describe, expect, it } from 'vitest';
import { slowRequests } from '../../bench/serving/paced-load.js';

describe('slowRequests (paced bench)', () => {
  it('counts nothing when every request is under the threshold', () => {
    expect(slowRequests([1, 2, 9.9, 10], 1, 10)).toEqual({
      thresholdMs: 10,
      count: 0,
      bursts: 0,
      longestBurstMs: 0,
    });
  });

  it('groups slow requests due less than the threshold apart into one burst', () => {
    // One request every 2 ms: indexes 3-7 are slow (one stall), 20 alone is slow (another).
    const latencies = Array.from({ length: 30 }, () => 1);
    for (const i of [3, 4, 5, 6, 7, 20]) latencies[i] = 25;

    expect(slowRequests(latencies, 2, 10)).toEqual({
      thresholdMs: 10,
      count: 6,
      bursts: 2,
      longestBurstMs: 8,
    });
  });

  it('starts a new burst once the gap between slow requests reaches the threshold', () => {
    // 1 ms apart: slow at 0 and 9 (9 ms apart, same burst), then 19 (10 ms after 9: new burst).
    const latencies = Array.from({ length: 25 }, () => 0.5);
    for (const i of [0, 9, 19]) latencies[i] = 12;

    expect(slowRequests(latencies, 1, 10)).toMatchObject({
      count: 3,
      bursts: 2,
      longestBurstMs: 9,
    });
  });
});
