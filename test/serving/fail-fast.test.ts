import { describe, expect, it } from 'vitest';
import { FailFast } from '../../serving/session/fail-fast.js';

describe('FailFast', () => {
  it('stays closed below the threshold', () => {
    // Prepare
    const breaker = new FailFast({ threshold: 3, openMs: 100 });

    // Act
    breaker.failed(0);
    breaker.failed(1);

    // Assess
    expect(breaker.admit(2)).toBe(true);
  });

  it('opens after consecutive failures, then admits one probe', () => {
    // Prepare
    const breaker = new FailFast({ threshold: 3, openMs: 100 });
    for (const now of [0, 1, 2]) breaker.failed(now);

    // Act
    const duringOpen = breaker.admit(50);
    const probe = breaker.admit(150);
    const secondWhileProbing = breaker.admit(151);

    // Assess
    expect([duringOpen, probe, secondWhileProbing]).toEqual([false, true, false]);
  });

  it('closes when the probe succeeds', () => {
    // Prepare
    const breaker = new FailFast({ threshold: 1, openMs: 100 });
    breaker.failed(0);
    breaker.admit(200);

    // Act
    breaker.succeeded();

    // Assess
    expect(breaker.isOpen).toBe(false);
    expect(breaker.admit(201)).toBe(true);
  });
});
