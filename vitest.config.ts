import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __FINCH_DEV__: 'true' },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    pool: 'forks',
    // Server and browser tests start real processes, databases and Chromium; 2-core machines are slow.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
