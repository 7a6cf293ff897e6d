import { describe, expect, it } from 'vitest';
import { newSpanId, newTraceIdHex } from '../../serving/observability/trace.js';

describe('newSpanId', () => {
  it('returns distinct 16-hex-digit ids across pool refills', () => {
    // Prepare
    const count = 2_000;

    // Act
    const ids = Array.from({ length: count }, () => newSpanId());

    // Assess
    expect(ids.every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(count);
  });
});

describe('newTraceIdHex', () => {
  it('returns distinct 32-hex-digit trace ids across pool refills', () => {
    // Prepare
    const count = 2_000;

    // Act
    const ids = Array.from({ length: count }, () => newTraceIdHex());

    // Assess
    expect(ids.every((id) => /^[0-9a-f]{32}$/.test(id) && !/^0+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(count);
  });
});
