import { defineConfig } from 'vitest/config';

// Four projects, each with the time its kind of test needs; `vitest run --project unit` runs one.
// Root options that projects inherit (`extends: true`) must not be arrays such as `include`: vitest
// concatenates those, and every project would then run every file.
const SERVER = 'test/server/**/*.test.ts';
const BROWSER = 'test/e2e/**/*.test.ts';
const PACKAGE = ['test/modules/**/*.test.ts', 'test/packaging/**/*.test.ts', 'test/bundler/**/*.test.ts'];
const NOT_TESTS = ['test/bench/**', 'node_modules/**'];

export default defineConfig({
  define: { __FINCH_DEV__: 'true' },
  test: {
    // Server and browser tests start processes; forks keep them out of the runner's own process.
    pool: 'forks',
    // Two files at a time even on two cores (vitest's default is cores − 1): most of a server or browser
    // test is waiting on another process (PostgreSQL, a finch serve, Chromium), so the suite takes about
    // 7 minutes instead of 13 there. Every test must pass under that load anyway.
    maxWorkers: 2,
    // Server and browser tests stop databases, servers and Chromium in their afterAll hooks.
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          // core, sdk and sw in-process: no database, no browser, no child process. A new folder of
          // tests lands here unless another project claims it.
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [SERVER, BROWSER, ...PACKAGE, ...NOT_TESTS],
          testTimeout: 10_000,
          hookTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          // Real databases (PGlite and PostgreSQL) and real `finch serve` processes on loopback.
          name: 'server',
          include: [SERVER],
          exclude: NOT_TESTS,
          testTimeout: 60_000,
          // beforeAll starts servers on every store and runs migrations; 2-core machines are slow.
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // The built packages as their users get them: npm pack and install, Node imports, tsc.
          name: 'package',
          include: PACKAGE,
          exclude: NOT_TESTS,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          // Chromium through playwright-core against the built bundles (`npm run build` first).
          name: 'browser',
          include: [BROWSER],
          exclude: NOT_TESTS,
          testTimeout: 120_000,
          // beforeAll starts the demo (which seeds itself over HTTP) and Chromium.
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
