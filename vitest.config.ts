import { defineConfig } from 'vitest/config';

// Integration tests run against the database named by JW_TEST_DB (pglite by default, or
// postgresql with TEST_DATABASE_URL); scripts/test.mjs runs the suite once per database.
export default defineConfig({
  test: {
    include: ['domain/**/*.test.ts', 'server/**/*.test.ts'],
    globalSetup: ['server/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    fileParallelism: true,
  },
});
