// Walking a tree: the one walker of the project (test/architecture.test.ts
// lets no other module list folders to descend them). Ignore files are
// deliberately not honoured: Debian's linux-source tree has a top-level
// .gitignore ending in `/*`, which would hide every source file. The root
// may be reached through a symlink; inner symlinks are not followed (they
// could lead out of the tree, and the files they point to inside it are
// walked anyway).
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/**
 * What walkTree calls for each entry. `rel` is the path from the root
 * (`/`-separated), `abs` the path on disk, `name` the last component.
 */
export interface TreeVisitor {
  /** A folder, before what it holds; false leaves it (and all below it) out. */
  folder?(rel: string, abs: string, name: string): boolean | void;
  /** A regular file. */
  file?(rel: string, abs: string, name: string): void;
  /** A symbolic link (to anything): never followed. */
  link?(rel: string, abs: string, name: string): void;
  /**
   * Whether a file or link named `name` is wanted at all: false passes it
   * over before its paths are built (a kernel tree holds 23,000 files that
   * are not C).
   */
  wants?(name: string): boolean;
  /**
   * A folder that cannot be listed (`.` for the root). Without this
   * handler the error is thrown.
   */
  unreadable?(rel: string, err: unknown): void;
}

/**
 * Visit everything under `root` (or under its folder `under`, a path from
 * the root), depth first, each folder's entries in the order the system
 * lists them (Node's listing is sorted by name), or last to first with
 * `lastFirst`, a folder's contents right after the folder. Sockets, FIFOs
 * and devices are passed over. Iterative: a deep tree does not grow the
 * stack.
 */
export function walkTree(root: string, visitor: TreeVisitor, under = '', lastFirst = false): void {
  // Paths are built by concatenation as the walk descends (`abs`, and
  // `prefix` relative to the root): path.join and path.relative per
  // directory cost a third of the walk on a kernel tree.
  const stack: { abs: string; prefix: string; entries: Dirent[]; next: number }[] = [];
  const open = (abs: string, prefix: string) => {
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      if (!visitor.unreadable) throw err;
      visitor.unreadable(prefix === '' ? '.' : prefix.slice(0, -1), err);
      return;
    }
    if (lastFirst) entries.reverse();
    stack.push({ abs, prefix, entries, next: 0 });
  };
  open(under === '' ? root : join(root, under), under === '' ? '' : `${under}/`);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next === top.entries.length) {
      stack.pop();
      continue;
    }
    const e = top.entries[top.next++]!;
    const name = e.name;
    if (e.isDirectory()) {
      const rel = top.prefix + name;
      const abs = `${top.abs}${sep}${name}`;
      if (visitor.folder?.(rel, abs, name) !== false) open(abs, `${rel}/`);
    } else if (e.isFile()) {
      if (visitor.wants?.(name) !== false) visitor.file?.(top.prefix + name, `${top.abs}${sep}${name}`, name);
    } else if (e.isSymbolicLink()) {
      if (visitor.wants?.(name) !== false) visitor.link?.(top.prefix + name, `${top.abs}${sep}${name}`, name);
    }
  }
}

const SKIP_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules']);

export function isCSource(name: string): boolean {
  const n = name.length;
  const last = name.charCodeAt(n - 1);
  return n >= 2 && name.charCodeAt(n - 2) === 0x2e && (last === 0x63 || last === 0x68);
}

export class TreePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TreePathError';
  }
}

/** Resolve the tree root (following a symlinked root) and check it is a directory. */
export function resolveRoot(root: string): string {
  let real: string;
  try {
    real = realpathSync(resolve(root));
  } catch {
    throw new TreePathError(`${root}: no such directory`);
  }
  if (!statSync(real).isDirectory()) throw new TreePathError(`${root}: not a directory`);
  return real;
}

/**
 * Visit the .c/.h files under `root` (relative paths with `/`), limited to
 * `paths` (files or folders relative to the root, or absolute under it), as
 * they are found: a caller can start work on the first files while the
 * walk goes on. Each folder's entries come last to first: a kernel tree's
 * top-level Documentation/ (9,500 files, 4 of them C) then comes last, when
 * the worker threads have files queued, instead of first, when they wait
 * for their first chunk (about 20 ms). Folders that cannot be listed go to
 * `unreadable` (paths from the root, `.` for the root): what they hold is
 * unknown, which the caller must say.
 */
export function walkSourceFiles(root: string, paths: readonly string[], visit: (rel: string) => void, skippedLinks: string[] = [], unreadable: string[] = []): void {
  const walkDir = (under: string, found: (rel: string) => void) =>
    walkTree(
      root,
      {
        folder: (_rel, _abs, name) => !SKIP_DIRS.has(name),
        wants: isCSource,
        file: found,
        link: (rel) => void skippedLinks.push(rel),
        unreadable: (rel) => unreadable.push(rel),
      },
      under,
      true,
    );
  if (paths.length === 0) {
    walkDir('', visit);
    return;
  }
  const seen = new Set<string>();
  const once = (rel: string) => {
    if (!seen.has(rel)) {
      seen.add(rel);
      visit(rel);
    }
  };
  for (const p of paths) {
    const abs = resolve(root, p);
    const rel = relative(root, abs);
    if (rel.startsWith('..') || resolve(root, rel) !== abs) throw new TreePathError(`${p}: outside the tree ${root}`);
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      throw new TreePathError(`${p}: no such file or directory under the tree`);
    }
    // The walk follows no symlink inside the tree; neither does a path named
    // on the command line, whatever component the link is.
    const link = firstLinkBelow(root, rel);
    if (link !== undefined) throw new TreePathError(`${p}: goes through the symbolic link ${link} inside the tree (links inside the tree are not followed)`);
    if (st.isDirectory()) {
      walkDir(rel === '' ? '' : toRel(root, abs), once);
    } else if (st.isFile()) {
      if (isCSource(abs)) once(toRel(root, abs));
    } else throw new TreePathError(`${p}: not a regular file or directory`);
  }
}

/** The .c/.h files under `root` (limited to `paths`), sorted, so that output is stable. */
export function listSourceFiles(root: string, paths: readonly string[] = [], skippedLinks: string[] = [], unreadable: string[] = []): string[] {
  const out: string[] = [];
  walkSourceFiles(root, paths, (rel) => out.push(rel), skippedLinks, unreadable);
  return out.sort();
}

/** The first component of `rel` (relative to `root`) that is a symlink, as a path from the root; undefined when there is none. */
export function firstLinkBelow(root: string, rel: string): string | undefined {
  if (rel === '') return undefined;
  const parts = rel.split(sep);
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join(sep);
    let st;
    try {
      st = lstatSync(join(root, sub));
    } catch {
      return undefined;
    }
    if (st.isSymbolicLink()) return parts.slice(0, i).join('/');
  }
  return undefined;
}

function toRel(root: string, abs: string): string {
  const rel = relative(root, abs);
  return sep === '/' ? rel : rel.split(sep).join('/');
}
