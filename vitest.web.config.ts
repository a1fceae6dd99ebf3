import { defineConfig } from 'vitest/config';

/** The browser tests: headless Debian chromium driving the built app on a real server, one file at a time. */
export default defineConfig({
  test: {
    include: ['test/web/**/*.test.ts'],
    globalSetup: ['test/web/support/build.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
