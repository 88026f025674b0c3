// The folder kmigrate is installed in (the one with its package.json), found
// from a module's own URL: files that ship beside the code (migration files,
// the schema) are read from there whether the code runs as TypeScript from
// the source tree (codemods/…) or as compiled JavaScript (dist/codemods/…).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'kmigrate';

let cached: string | undefined;

/** The package root above `moduleUrl` (default: this module). Throws when there is none: the install is broken. */
export function packageRoot(moduleUrl: string = import.meta.url): string {
  if (moduleUrl === import.meta.url && cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isOurs(manifest)) break;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
  if (moduleUrl === import.meta.url) cached = dir;
  return dir;
}

function isOurs(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}
