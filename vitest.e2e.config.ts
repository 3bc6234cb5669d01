import { defineConfig } from 'vitest/config';

/**
 * The end-to-end suites: those that need PostgreSQL, a browser or full-size feeds. `npm run
 * test:e2e` runs them (and `.ci/run` after `npm test`); `.ci/setup-e2e` installs what they need.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // The same per-file cleanups and seeded store as the core suites (see vitest.config.ts).
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    passWithNoTests: true,
  },
});
