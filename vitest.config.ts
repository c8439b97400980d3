import { defineConfig } from 'vitest/config';

// One run covers every Node-side suite; the widget's browser tests run under web-test-runner.
export default defineConfig({
  test: {
    projects: ['packages/sdk', 'packages/server', 'examples', 'bench'],
  },
});
