// The tree on disk, as the applier and the validator's build copy see it:
// reading a file as UTF-8 text, the path check (PathGuard: nothing outside
// the root, nothing through a symbolic link), writing by temporary file and
// rename, and mirroring a tree (hard links or copies) whose symbolic links
// mean in the copy what they meant in the base.

import fs from 'node:fs';
import path from 'node:path';
import { decodeUtf8 } from '../c/text.js';
import { walkTree } from '../io/walk.js';
import { writeFileAtomic } from '../io/write.js';
import { PatchApplyError, UnsafePathError } from './apply-errors.js';

/**
 * Read `rel` under `root` as UTF-8 text; undefined when it does not exist.
 * Throws PatchApplyError when it is not a regular file or not valid UTF-8.
 */
export function readTreeFile(root: string, rel: string): string | undefined {
  const abs = path.join(root, rel);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
  if (!st.isFile()) throw new PatchApplyError('not-a-file', rel, st.isSymbolicLink() ? 'is a symbolic link' : 'is not a regular file');
  const text = decodeUtf8(fs.readFileSync(abs));
  if (text === undefined) throw new PatchApplyError('not-utf8', rel, 'is not valid UTF-8 text');
  return text;
}

export const LINK_MODE = '120000';

/**
 * Write (or, for null, delete) `rel` under `root`: parents created,
 * temporary file then rename, mode kept or set. The caller has checked
 * `rel` with a PathGuard: nothing on the way is a symbolic link, so the
 * write lands in `root`; the rename replaces the name, never writes into a
 * file another name (a hard link) shares.
 */
export function writeTreeFile(root: string, rel: string, text: string | null, mode: string | undefined): void {
  const abs = path.join(root, rel);
  if (text === null) {
    fs.rmSync(abs, { force: true });
    return;
  }
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  writeFileAtomic(abs, text, { mode: mode === undefined ? undefined : mode.endsWith('755') ? 0o755 : 0o644, create: 0o644 });
}

/** Checks that relative paths stay inside a root (see the top of this file). */
export class PathGuard {
  private readonly realRoot: string;

  constructor(readonly root: string) {
    this.realRoot = fs.realpathSync(root);
  }

  /**
   * Throws UnsafePathError unless `rel` is a safe path inside the root:
   * relative, no `..`/`.`/empty/`.git` component, and no leading component
   * a symbolic link (on disk, or where `shadow` says so: true for a link an
   * earlier patch created, false for a path the overlay holds as a file or
   * removed, which hides the disk from there on). The last component may be
   * a link only where `shadow` made it one (a patch may change a link it
   * created, as git does); a link on disk is never a target.
   */
  check(rel: string, shadow?: (prefix: string) => boolean | undefined): void {
    if (rel === '' || rel.includes('\0')) throw new UnsafePathError(rel, 'empty path or NUL byte in path');
    if (rel.startsWith('/') || path.isAbsolute(rel)) throw new UnsafePathError(rel, 'absolute path');
    const parts = rel.split('/');
    for (const part of parts) {
      if (part === '..') throw new UnsafePathError(rel, 'path goes up with `..`');
      if (part === '' || part === '.') throw new UnsafePathError(rel, 'path has an empty or `.` component');
      if (part.toLowerCase() === '.git') throw new UnsafePathError(rel, 'path is inside .git');
    }
    let abs = this.root;
    for (let k = 0; k < parts.length; k++) {
      const prefix = parts.slice(0, k + 1).join('/');
      const last = k === parts.length - 1;
      const shadowed = shadow?.(prefix);
      if (shadowed === true) {
        if (last) return;
        throw new UnsafePathError(rel, `affected file is beyond a symbolic link (${prefix}, created by a patch)`);
      }
      if (shadowed === false) return;
      abs = path.join(abs, parts[k]!);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(abs);
      } catch {
        return; // nothing exists from here on: nothing to go through
      }
      if (!st.isSymbolicLink()) continue;
      if (last) throw new UnsafePathError(rel, 'the target is a symbolic link');
      let real: string | undefined;
      try {
        real = fs.realpathSync(abs);
      } catch {
        real = undefined;
      }
      if (real !== undefined && real !== this.realRoot && !real.startsWith(this.realRoot + path.sep)) {
        throw new UnsafePathError(rel, `resolves outside the tree (through a symbolic link, to ${real})`);
      }
      throw new UnsafePathError(rel, `affected file is beyond a symbolic link (${prefix})`);
    }
  }
}

/**
 * Write (null: delete) `rel` under `root`, refusing any path that goes
 * through a symbolic link (PathGuard): with the copy's links pointing into
 * the copy (mirrorTree) and writes done by rename, a hard-linked copy never
 * reaches the files of its base.
 */
export function writeInsideTree(root: string, rel: string, text: string | null): void {
  new PathGuard(root).check(rel);
  writeTreeFile(root, rel, text, undefined);
}

/**
 * Mirror the tree `from` into `to` (`.git` left out): files copied or hard
 * linked (copied where linking fails). A symbolic link is recreated so that
 * it means in the copy what it meant in the base: one that leads into the
 * base (absolute or relative) points to the same place in the copy,
 * relatively; one that leads out of it points there absolutely. Copying a
 * link verbatim would let an absolute in-tree link lead from the copy back
 * into the base, and a write through it modify the base.
 */
export function mirrorTree(from: string, to: string, how: 'copy' | 'hardlink'): void {
  const bases = [...new Set([path.resolve(from), fs.realpathSync(from)])];
  const relink = (targetText: string, srcDir: string, dstDir: string): string => {
    const abs = path.resolve(srcDir, targetText);
    for (const b of bases) {
      if (abs === b || abs.startsWith(b + path.sep)) {
        const inCopy = path.join(to, path.relative(b, abs));
        return path.relative(dstDir, inCopy) || '.';
      }
    }
    return abs;
  };
  fs.mkdirSync(to, { recursive: true });
  walkTree(from, {
    folder: (rel, _abs, name) => {
      if (name === '.git') return false;
      fs.mkdirSync(path.join(to, rel), { recursive: true });
    },
    link: (rel, src, name) => {
      if (name === '.git') return;
      const dst = path.join(to, rel);
      fs.symlinkSync(relink(fs.readlinkSync(src), path.dirname(src), path.dirname(dst)), dst);
    },
    file: (rel, src, name) => {
      if (name === '.git') return;
      const dst = path.join(to, rel);
      if (how === 'hardlink') {
        try {
          fs.linkSync(src, dst);
          return;
        } catch {
          // another file system: copy
        }
      }
      fs.copyFileSync(src, dst);
    },
  });
}
