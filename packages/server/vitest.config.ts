import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // PGlite boots in a few seconds; each file starts one server in beforeAll.
    hookTimeout: 60_000,
    testTimeout: 20_000,
  },
});
