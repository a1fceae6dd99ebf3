import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'web/src/**/*.test.ts'],
    // The browser tests have their own run (vitest.web.config.ts, npm run test:web).
    exclude: ['test/web/**', '**/node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file opens its own database; two cores run two files at a time.
    maxWorkers: 2,
  },
});
