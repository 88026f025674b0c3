// Resolving -C and checking that it is a kernel tree (shared by commands).
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getMigration, registry } from '../registry.js';
import type { AnyMigration } from '../engine/migration.js';
import { resolveRoot, TreePathError } from '../io/walk.js';
import { UsageError } from './io.js';

export function requireMigration(id: string): AnyMigration {
  const m = getMigration(id);
  if (!m) throw new UsageError(`unknown codemod '${id}' (known: ${[...registry.keys()].join(', ')}; see 'kmigrate list')`);
  return m;
}

/** The real root of `-C dir`; a usage error when it is missing or not a kernel tree. */
export function requireKernelTree(dir: string, cwd: string): string {
  let root: string;
  try {
    root = resolveRoot(resolve(cwd, dir));
  } catch (err) {
    throw new UsageError(err instanceof TreePathError ? err.message : String(err));
  }
  const hasInclude = existsSync(join(root, 'include', 'linux')) && statSync(join(root, 'include', 'linux')).isDirectory();
  if (!hasInclude && !existsSync(join(root, 'Kconfig'))) {
    throw new UsageError(`${dir}: not a kernel tree (no include/linux/ and no Kconfig at its top)`);
  }
  return root;
}
