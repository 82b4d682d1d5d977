import { defineConfig } from 'vitest/config';

// Fault-injection tests that disturb the whole machine (they restart dockerd): run alone, after the main suite.
export default defineConfig({
  test: {
    include: ['src-main/**/*.faults.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
    reporters: ['default'],
  },
});
