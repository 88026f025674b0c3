#!/usr/bin/env node
// npm run fetch:kernel [-- <package>] — make sure Debian's linux-source-6.1
// tree (or the named linux-source-<version> package's, e.g.
// linux-source-6.12) is in the cache ($XDG_CACHE_HOME/kmigrate or
// ~/.cache/kmigrate) and print its path.
// Exit 0 with the path on stdout; exit 1 with the reason on stderr.
import { ensureKernelTree, KERNEL_PACKAGE } from './lib/kernel.mjs';

const pkg = process.argv[2] ?? KERNEL_PACKAGE;
try {
  const tree = await ensureKernelTree({ pkg });
  process.stdout.write(`${tree}\n`);
} catch (err) {
  process.stderr.write(`fetch-kernel: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
