import { describe, expect, it } from 'vitest';
import { EntryCache } from '../../../jobs/publish/entry-cache.js';

describe('EntryCache', () => {
  it('returns what it kept under the same two numbers, NaN included, and nothing else', () => {
    // Prepare
    const cache = new EntryCache(64);

    // Act
    cache.keep(5, 0.25, '{"value":0.25}');
    cache.keep(5, Number.NaN, '{"value":null}');

    // Assess
    expect(Buffer.from(cache.get(5, 0.25) ?? []).toString()).toBe('{"value":0.25}');
    expect(Buffer.from(cache.get(5, Number.NaN) ?? []).toString()).toBe('{"value":null}');
    expect(cache.get(5, 0.5)).toBeUndefined();
    expect(cache.get(6, 0.25)).toBeUndefined();
  });

  it('keeps at most half of its slots', () => {
    // Prepare
    const cache = new EntryCache(8);

    // Act
    const kept = [1, 2, 3, 4, 5].map((events) => cache.keep(events, 1, `{"e":${events}}`));

    // Assess
    expect(kept.map((entry) => entry !== undefined)).toEqual([true, true, true, true, false]);
    expect(cache.isKeeping).toBe(false);
    expect(cache.get(5, 1)).toBeUndefined();
  });

  it('stops keeping when fewer than half of its first 1,024 lookups find an entry', () => {
    // Prepare
    const cache = new EntryCache();

    // Act: every value new, as minutes are.
    for (let lookup = 0; lookup < 1024; lookup++) {
      if (cache.get(1, lookup) === undefined) cache.keep(1, lookup, `{"v":${lookup}}`);
    }

    // Assess
    expect(cache.isKeeping).toBe(false);
    expect(cache.get(1, 3)).toBeUndefined();
  });
});
