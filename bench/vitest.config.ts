import { defineConfig } from 'vitest/config';

// Benchmarks are not tests: CI only proves the harness runs (the smoke mode), never that it meets a number.
export default defineConfig({
  test: {
    name: 'bench',
    include: ['bench.smoke.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
  },
});
