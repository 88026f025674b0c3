import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The engine's worker threads run the sources too (codemods/engine/helpers.ts).
    env: { KMIGRATE_WORKER_LOADER: fileURLToPath(new URL('./test/helpers/worker-loader.mjs', import.meta.url)) },
  },
});
