import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end suites (PostgreSQL, a browser, full-size feeds) run with `npm run test:e2e`.
    exclude: ['test/e2e/**', 'node_modules/**'],
    // Two test files at a time. Vitest's default on a 2-core machine is one (cores - 1), which
    // leaves a core idle while a file waits on the CLI processes and servers it starts.
    maxWorkers: 2,
    // The files of a worker share loaded modules instead of importing the whole tree again for
    // each file: about half the suite's CPU time. So no module may keep state a test depends on,
    // and per-file hooks live in test/setup.ts, not in a shared module.
    isolate: false,
    setupFiles: ['test/setup.ts'],
    // Loads knowledge/ into one store file for the run; tests copy it (seededStore in test/helpers.ts).
    globalSetup: ['test/global-setup.ts'],
    // A fresh store is not built from the full-size snapshot in feeds/ (its own tests turn it on), and
    // `serve` never syncs the feeds on its own: no test reaches the internet.
    env: { FEEDS_SNAPSHOT: 'off', FEEDS_SCHEDULE: 'off' },
    // A guard against hangs, not a speed check: the files that start CLI processes take over 20 s
    // on a shared 2-core machine under load. Speed is the suite's wall time, measured apart.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
