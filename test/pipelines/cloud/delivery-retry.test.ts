import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkRecords, fullJitterDelay } from '../../../pipelines/cloud/index.js';

describe('fullJitterDelay', () => {
  it('stays between zero and the capped exponential ceiling', () => {
    // Prepare
    const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 2_000 };

    // Act / Assess
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, r) => {
          const delay = fullJitterDelay(attempt, policy, () => r);
          const ceiling = Math.min(2_000, 100 * 2 ** (attempt - 1));
          return delay >= 0 && delay <= ceiling;
        },
      ),
    );
    expect(fullJitterDelay(12, policy, () => 0.999999)).toBe(1_999);
  });
});

describe('chunkRecords', () => {
  it('keeps order and respects both limits for any sizes', () => {
    // Prepare
    const limits = { maxRecords: 7, maxBytes: 1_000, maxRecordBytes: 1_000 };

    // Act / Assess
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1_000 }), { maxLength: 200 }), (sizes) => {
        const chunks = chunkRecords(sizes, limits, (size) => size);
        const flat = chunks.flat();
        const withinLimits = chunks.every(
          (chunk) =>
            chunk.length <= 7 && chunk.reduce((s, n) => s + n, 0) <= 1_000 && chunk.length > 0,
        );
        return withinLimits && flat.length === sizes.length && flat.every((v, i) => v === sizes[i]);
      }),
    );
  });
});
