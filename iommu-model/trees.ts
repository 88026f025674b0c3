// Source trees as the checker's tests and tools build them: on disk, in
// memory, or one laid over another (kmigrate's own migration, held in
// memory, over the tree it was computed from). Each is the project's one
// tree abstraction (codemods/io/source.ts) read as text, with the paths the
// model should read.
import { closeSync, openSync, readSync, realpathSync } from 'node:fs';
import { textReader } from '../codemods/c/text.js';
import { diskSource, memorySource, overlaySource, type TreeSource as Source } from '../codemods/io/source.js';
import { walkTree } from '../codemods/io/walk.js';
import { BIND_FUNCTION } from './abstraction.js';
import type { TreeInput } from './model-shape.js';

/** What a model reads (TreeInput), and the tree it is read from (for overlayTree). */
export interface TreeSource extends TreeInput {
  source: Source;
}

const NEEDLE = Buffer.from(BIND_FUNCTION);
const SOURCE_EXTENSIONS = ['.c', '.h'];

export interface FindOptions {
  /** The bytes to look for (default: iommu_sva_bind_device). */
  needle?: string;
  /** File name endings to read (default: .c and .h). */
  extensions?: string[];
}

/**
 * Relative paths of the .c and .h files under `root` whose bytes contain
 * `iommu_sva_bind_device`, sorted. A symlinked root is followed; symlinks
 * inside the tree are not (a kernel tree's few links point back into it).
 * `.git` is skipped; .gitignore is not consulted: a file is source whether
 * or not git tracks it.
 *
 * Synchronous reads into one reused buffer: on a kernel tree (55,000
 * files) this is about twice as fast as fs.promises with many reads in
 * flight, and the byte search never decodes text.
 */
export function findCallFilesSync(root: string, opts: FindOptions = {}): string[] {
  const needle = opts.needle ? Buffer.from(opts.needle) : NEEDLE;
  const extensions = opts.extensions ?? SOURCE_EXTENSIONS;
  const realRoot = realpathSync(root);
  // A folder that cannot be listed is an error here (walkTree's default).
  const files: { rel: string; abs: string }[] = [];
  walkTree(realRoot, {
    folder: (_rel, _abs, name) => name !== '.git',
    file: (rel, abs) => {
      if (extensions.some((x) => rel.endsWith(x))) files.push({ rel, abs });
    },
  });
  let buf = Buffer.allocUnsafe(1 << 20);
  const hits: string[] = [];
  for (const file of files) {
    const fd = openSync(file.abs, 'r');
    let n = 0;
    try {
      for (;;) {
        if (n === buf.length) {
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger);
          buf = bigger;
        }
        const got = readSync(fd, buf, n, buf.length - n, null);
        if (got <= 0) break;
        n += got;
      }
    } finally {
      closeSync(fd);
    }
    if (buf.subarray(0, n).indexOf(needle) >= 0) hits.push(file.rel);
  }
  return hits.sort();
}

/** findCallFilesSync(), as a promise. */
export async function findCallFiles(root: string, opts: FindOptions = {}): Promise<string[]> {
  return findCallFilesSync(root, opts);
}

/** A tree on disk; `paths` defaults to findCallFiles(root). */
export async function diskTree(root: string, opts: { label?: string; paths?: string[] } = {}): Promise<TreeSource> {
  const realRoot = realpathSync(root);
  const paths = opts.paths ?? (await findCallFiles(realRoot));
  return modelInput(diskSource(realRoot), opts.label ?? root, paths);
}

/** A tree held in memory: relative path → text. `paths` defaults to the files that mention the API. */
export function memoryTree(files: ReadonlyMap<string, string> | Record<string, string>, label: string, paths?: string[]): TreeSource {
  const map = files instanceof Map ? files : new Map(Object.entries(files));
  return modelInput(memorySource(map), label, paths ?? [...map].filter(([, text]) => text.includes(BIND_FUNCTION)).map(([p]) => p).sort());
}

/**
 * `changes` laid over `base`: a changed file's new text (or its deletion,
 * as null) hides the base's. The paths are the base's plus the changed
 * files that mention the API.
 */
export function overlayTree(base: TreeSource, changes: ReadonlyMap<string, string | null>, label: string): TreeSource {
  const paths = new Set(base.paths.filter((p) => changes.get(p) !== null));
  for (const [p, text] of changes) if (text !== null && text.includes(BIND_FUNCTION)) paths.add(p);
  return modelInput(overlaySource(base.source, changes), label, [...paths].sort());
}

function modelInput(source: Source, label: string, paths: string[]): TreeSource {
  return { label, paths, read: textReader(source), source };
}
