import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end suites (PostgreSQL, a browser, full-size feeds) run with `npm run test:e2e`.
    exclude: ['test/e2e/**', 'node_modules/**'],
    // A fresh store is not built from the full-size snapshot in feeds/ (its own tests turn it on).
    env: { FEEDS_SNAPSHOT: 'off' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
