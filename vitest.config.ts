import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: process-heavy suites (crash and spike tests) must not starve each other.
    maxWorkers: 2,
    pool: 'forks',
  },
});
