// Resolving -C and checking that it is a kernel tree (shared by commands).
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MigrationNotFoundError, resolveMigration } from '../registry.js';
import type { AnyMigration } from '../engine/migration.js';
import { MigrationFileError } from '../kit/load.js';
import { resolveRoot, TreePathError } from '../io/walk.js';
import { UsageError } from './io.js';

/**
 * A bundled codemod by id, or a migration file (or a folder holding
 * migration.yaml) by its path from `cwd`. An unknown id, a missing file and
 * a bad file are usage errors (exit 2); a bad file's message is already one
 * line, `file:line: key.path: what`.
 */
export function requireMigration(idOrPath: string, cwd: string): AnyMigration {
  try {
    return resolveMigration(idOrPath, cwd);
  } catch (err) {
    if (err instanceof MigrationNotFoundError || err instanceof MigrationFileError) throw new UsageError(err.message);
    throw err;
  }
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
