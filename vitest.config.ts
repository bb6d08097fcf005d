import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // An example plugin imports 'healthpipe' as an installed package; here, that is this repository.
    alias: [{ find: /^healthpipe$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }],
  },
  test: {
    // The example plugins carry their own tests, beside their code, as a plugin's author keeps them.
    include: ['test/**/*.test.ts', 'examples/*/test/**/*.test.js'],
    // Fetches, once, the Debian packages that tests run for real (scripts/test-components.sh).
    globalSetup: ['./test/setup/components.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
