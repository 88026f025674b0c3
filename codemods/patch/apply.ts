// Applying parsed patches to a tree: on disk, or in an in-memory overlay of
// it (what the series validator uses: it must never write to the base tree).
// Each file's text is patched hunk by hunk in hunks.ts.
//
// Path safety: before anything is read for applying or written, every path
// of every patch is checked; an absolute path, a `..`, `.` or empty
// component, a `.git` component, a path whose deepest existing ancestor
// resolves (through symlinks) outside the root, a path beyond a symlink (one
// of its leading components is a link, in the tree or created by an earlier
// patch: git's "affected file is beyond a symbolic link"), or a target that
// is itself a symlink refuses the whole call and nothing is written anywhere.

import fs from 'node:fs';
import path from 'node:path';
import { PatchApplyError, UnsafePathError } from './apply-errors.js';
import { applyFilePatch } from './hunks.js';
import type { FilePatch } from './parse.js';
import { LINK_MODE, mirrorTree, PathGuard, readTreeFile, writeInsideTree, writeTreeFile } from './tree.js';

export * from './apply-errors.js';
export { applyFilePatch } from './hunks.js';
export { mirrorTree, PathGuard, writeInsideTree } from './tree.js';

// ---------------------------------------------------------------------------
// Trees

export interface ApplyOptions {
  /** Check and compute, write nothing. */
  dryRun?: boolean;
  /**
   * Read from this map before the disk and write results into it (null = the
   * file is deleted); the disk is never written. Updated only when every
   * patch applies.
   */
  overlay?: Map<string, string | null>;
  /**
   * With `overlay`: the paths that are symbolic links in it (created by
   * earlier patches, mode 120000). Nothing is written beyond them; updated
   * with the overlay.
   */
  links?: Set<string>;
}

export type AppliedStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied';

export interface AppliedFile {
  /** Path after the patch (before it, for a deletion). */
  path: string;
  /** For renames and copies: the path before. */
  oldPath?: string;
  status: AppliedStatus;
  before: string | null;
  after: string | null;
  /** Mode the file ends up with, when the patch sets one. */
  mode?: string;
}

/**
 * Apply `patches` in order to the tree at `root`. All paths are checked
 * first; then every result is computed in memory (a later patch sees an
 * earlier one's result); only if all apply is anything written: into
 * `opts.overlay` when given, else to disk (atomically per file: temporary
 * file and rename, mode kept) unless `dryRun`.
 */
export function applyToTree(root: string, patches: readonly FilePatch[], opts: ApplyOptions = {}): AppliedFile[] {
  const guard = new PathGuard(root);
  for (const fp of patches) {
    if (fp.oldPath !== null) guard.check(fp.oldPath);
    if (fp.newPath !== null) guard.check(fp.newPath);
  }

  const staged = new Map<string, string | null>();
  const read = (p: string): string | null => {
    if (staged.has(p)) return staged.get(p)!;
    if (opts.overlay?.has(p)) return opts.overlay.get(p)!;
    return readTreeFile(root, p) ?? null;
  };
  // Symbolic links as the patches so far leave them: a created link is a
  // link (git keeps it as one), so no later path may go through it.
  const links = new Set(opts.links ?? []);
  const shadow = (q: string): boolean | undefined => {
    if (links.has(q)) return true;
    if (staged.has(q) || opts.overlay?.has(q)) return false;
    return undefined;
  };
  const results: AppliedFile[] = [];
  const modes = new Map<string, string>();
  for (const fp of patches) {
    const from = fp.oldPath;
    const to = fp.newPath;
    const target = (to ?? from)!;
    if (from !== null) guard.check(from, shadow);
    if (to !== null) guard.check(to, shadow);
    const before = from === null ? null : read(from);
    if (fp.isNew && to !== null && read(to) !== null) {
      throw new PatchApplyError('already-exists', to, 'the patch creates this file, but it already exists');
    }
    if ((fp.isRename || fp.isCopy) && to !== null && from !== to && read(to) !== null) {
      throw new PatchApplyError('already-exists', to, `the patch ${fp.isCopy ? 'copies' : 'renames'} ${from} to this path, but it already exists`);
    }
    const after = fp.hunks.length === 0 && !fp.isNew && !fp.isDelete ? before : applyFilePatch(before, fp, from ?? target);
    if (before === null && !fp.isNew) throw new PatchApplyError('missing-file', target, 'the patch changes this file, but it does not exist');
    let status: AppliedStatus;
    if (fp.isNew) status = 'added';
    else if (fp.isDelete) status = 'deleted';
    else if (fp.isRename && from !== to) status = 'renamed';
    else if (fp.isCopy && from !== to) status = 'copied';
    else status = 'modified';

    if (status === 'renamed') staged.set(from!, null);
    if (status === 'deleted') staged.set(from!, null);
    else staged.set(to!, fp.isNew && fp.hunks.length === 0 ? '' : after);
    // A mode is set for a new file or an explicit mode change; the mode on an `index` line only describes the file.
    const modeChange = fp.isNew || (fp.oldMode !== undefined && fp.newMode !== undefined && fp.oldMode !== fp.newMode);
    if (modeChange && fp.newMode !== undefined && to !== null) modes.set(to, fp.newMode);
    const wasLink = from !== null && links.has(from);
    if (status === 'renamed' || status === 'deleted') links.delete(from!);
    if (to !== null && status !== 'deleted') {
      if ((fp.newMode ?? (wasLink ? LINK_MODE : undefined)) === LINK_MODE) links.add(to);
      else links.delete(to);
    }

    const r: AppliedFile = { path: target, status, before, after: status === 'deleted' ? null : after };
    if (status === 'renamed' || status === 'copied') r.oldPath = from!;
    if (modeChange && fp.newMode !== undefined) r.mode = fp.newMode;
    results.push(r);
  }

  if (opts.overlay) {
    for (const [p, v] of staged) opts.overlay.set(p, v);
    if (opts.links) {
      opts.links.clear();
      for (const l of links) opts.links.add(l);
    }
  } else if (!opts.dryRun) {
    for (const [p, v] of staged) writeTreeFile(root, p, v, modes.get(p));
  }
  return results;
}

/**
 * A tree seen through in-memory changes: reads come from the overlay, then
 * from the disk under `root`; writes only ever go to the overlay. `links`
 * are the paths patches made symbolic links: nothing goes through them.
 */
export class TreeOverlay {
  readonly changes: Map<string, string | null>;
  readonly links: Set<string>;
  private readonly guard: PathGuard;

  constructor(
    readonly root: string,
    changes?: Map<string, string | null>,
    links?: Set<string>,
  ) {
    this.changes = changes ?? new Map();
    this.links = links ?? new Set();
    this.guard = new PathGuard(root);
  }

  private readonly shadow = (q: string): boolean | undefined => (this.links.has(q) ? true : this.changes.has(q) ? false : undefined);

  /** The text of `p`, or undefined when it does not exist (or was removed). */
  read(p: string): string | undefined {
    this.guard.check(p, this.shadow);
    if (this.changes.has(p)) return this.changes.get(p) ?? undefined;
    return readTreeFile(this.root, p);
  }

  exists(p: string): boolean {
    return this.read(p) !== undefined;
  }

  write(p: string, text: string): void {
    this.guard.check(p, this.shadow);
    this.changes.set(p, text);
    this.links.delete(p);
  }

  remove(p: string): void {
    this.guard.check(p, this.shadow);
    this.changes.set(p, null);
    this.links.delete(p);
  }

  /** Paths written or removed, sorted. */
  changedPaths(): string[] {
    return [...this.changes.keys()].sort();
  }

  /** Apply patches on top of the current state (all or nothing). */
  apply(patches: readonly FilePatch[]): AppliedFile[] {
    return applyToTree(this.root, patches, { overlay: this.changes, links: this.links });
  }

  /** An independent overlay with the same changes (e.g. the state before a patch). */
  snapshot(): TreeOverlay {
    return new TreeOverlay(this.root, new Map(this.changes), new Set(this.links));
  }

  /**
   * Write the tree as this overlay sees it to `dir`: first the base
   * (`base: 'copy'`, the default: a copy; `'hardlink'`: hard links, fast
   * for a kernel tree, falling back to copying across file systems;
   * `'none'`: `dir` already holds it), `.git` left out; then the overlay's
   * files (a link a patch created is written as a file holding its target).
   * See mirrorTree for links and why the base cannot be written through the
   * copy. `dir` must not be inside the root.
   */
  materialize(dir: string, opts: { base?: 'copy' | 'hardlink' | 'none' } = {}): void {
    const target = path.resolve(dir);
    const realRoot = fs.realpathSync(this.root);
    if (target === realRoot || target.startsWith(realRoot + path.sep)) {
      throw new UnsafePathError(dir, 'cannot materialize an overlay inside its own base tree');
    }
    fs.mkdirSync(target, { recursive: true });
    const base = opts.base ?? 'copy';
    if (base !== 'none') mirrorTree(this.root, target, base);
    for (const [p, v] of this.changes) writeInsideTree(target, p, v);
  }
}
