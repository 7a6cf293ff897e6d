import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RosterOptions } from '../../../pipelines/seed/index.js';

/** A fixed clock for seed tests: the evening of 2026-12-03 in Mexico City. */
export const fixedNow = new Date('2026-12-04T03:00:00.000Z');
export const fixedAsOf = '2026-12-02';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'luca-seed-test-'));
}

export function rosterOptions(overrides: Partial<RosterOptions> = {}): RosterOptions {
  return {
    seed: 'test-seed',
    studentsPerSchool: 60,
    invalidCurpShare: 0.02,
    missingCurpShare: 0.005,
    disengagingShare: 0.08,
    ...overrides,
  };
}

export const validationContext = {
  traceId: 'f'.repeat(32),
  now: fixedNow,
};
