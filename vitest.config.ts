import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end suites (PostgreSQL, a browser, full-size feeds) run with `npm run test:e2e`.
    exclude: ['test/e2e/**', 'node_modules/**'],
    // A fresh store is not built from the full-size snapshot in feeds/ (its own tests turn it on), and
    // `serve` never syncs the feeds on its own: no test reaches the internet.
    env: { FEEDS_SNAPSHOT: 'off', FEEDS_SCHEDULE: 'off' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
