import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts'],
    globalSetup: ['src/global-setup.ts'],
    // One shared server; each spec file opens its own browser profile. Two at a time keeps a 2-core CI machine sane.
    pool: 'forks',
    maxWorkers: 2,
    // Concurrent tests inside one file (the role crawl): two browsers at a time.
    maxConcurrency: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
