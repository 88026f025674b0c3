// Loaded with --import into each worker thread the engine starts while the
// tests run the TypeScript sources (codemods/engine/helpers.ts; set by
// vitest.config.ts): registers the hooks of worker-hooks.mjs, so that the
// threads run the same sources as the test.
import { register } from 'node:module';

register(new URL('./worker-hooks.mjs', import.meta.url));
