import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fetches, once, the Debian packages that tests run for real (scripts/test-components.sh).
    globalSetup: ['./test/setup/components.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
