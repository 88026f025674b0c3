#!/usr/bin/env node
// npm run fetch:kernel — make sure Debian's linux-source-6.1 tree is in the
// cache ($XDG_CACHE_HOME/kmigrate or ~/.cache/kmigrate) and print its path.
// Exit 0 with the path on stdout; exit 1 with the reason on stderr.
import { ensureKernelTree } from './lib/kernel.mjs';

try {
  const tree = await ensureKernelTree();
  process.stdout.write(`${tree}\n`);
} catch (err) {
  process.stderr.write(`fetch-kernel: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
