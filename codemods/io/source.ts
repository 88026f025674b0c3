// The one read-only view of a source tree, whoever reads it (the engine,
// the series validator, a model through its paths): on disk, in memory, or
// changes held in memory laid over another tree (the series validator's
// private copy, kmigrate's own migration of a tree). All expose the same
// two calls; a file is bytes (c/text.ts's textReader reads them as text).
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { listSourceFiles, walkSourceFiles } from './walk.js';

export interface TreeSource {
  /** Relative paths of the .c/.h files in scope, sorted. */
  list(): string[];
  /** Raw bytes of a file, or undefined when it does not exist. */
  read(path: string): Uint8Array | undefined;
  /** .c/.h symlinks inside the tree that were not followed (known after list()). */
  skippedLinks?(): string[];
  /**
   * True when only part of the tree is in scope (paths given, or a folder
   * that could not be read): cross-file conclusions must be cautious. May
   * turn true during the walk.
   */
  limited?: boolean;
  /** Folders of the tree that could not be listed (known after list()). */
  unreadableDirs?(): string[];
  /** A tree on disk: its real root, and a walk that reports files as it finds them (for streaming). */
  disk?: { root: string; walk(visit: (path: string) => void): void };
}

export function diskSource(root: string, paths: readonly string[] = []): TreeSource {
  const links: string[] = [];
  const unreadable: string[] = [];
  // A path that is the root itself (`.`) covers the whole tree.
  const someOnly = paths.length > 0 && !paths.some((p) => resolve(root, p) === resolve(root));
  return {
    get limited() {
      return someOnly || unreadable.length > 0;
    },
    list: () => {
      links.length = 0;
      unreadable.length = 0;
      return listSourceFiles(root, paths, links, unreadable);
    },
    skippedLinks: () => [...links],
    unreadableDirs: () => [...unreadable],
    disk: {
      root,
      walk: (visit) => {
        links.length = 0;
        unreadable.length = 0;
        walkSourceFiles(root, paths, visit, links, unreadable);
      },
    },
    read: (path) => {
      // Nothing outside the root: a model asks for the paths its includes name.
      if (isAbsolute(path)) return undefined;
      if (path.includes('..')) {
        const rel = relative(root, resolve(root, path));
        if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
      }
      try {
        return readFileSync(join(root, path));
      } catch {
        return undefined;
      }
    },
  };
}

/** A tree held in memory: path → text. Its list is its .c/.h files. */
export function memorySource(files: ReadonlyMap<string, string>): TreeSource {
  return {
    list: () => [...files.keys()].filter((p) => p.endsWith('.c') || p.endsWith('.h')).sort(),
    read: (path) => {
      const t = files.get(path);
      return t === undefined ? undefined : Buffer.from(t, 'utf8');
    },
  };
}

/** A tree whose files come from `overlay` first (null = deleted), then from `base`. */
export function overlaySource(base: TreeSource, overlay: ReadonlyMap<string, string | null>): TreeSource {
  return {
    get limited() {
      return base.limited ?? false;
    },
    unreadableDirs: () => base.unreadableDirs?.() ?? [],
    list: () => {
      const set = new Set(base.list());
      for (const [p, t] of overlay) {
        if (t === null) set.delete(p);
        else if (p.endsWith('.c') || p.endsWith('.h')) set.add(p);
      }
      return [...set].sort();
    },
    read: (path) => {
      if (overlay.has(path)) {
        const t = overlay.get(path);
        return t === null || t === undefined ? undefined : Buffer.from(t, 'utf8');
      }
      return base.read(path);
    },
  };
}
