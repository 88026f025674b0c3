// Writing a run's results: all files or none.
//
// One file is written atomically, keeping its mode: a temp file beside the
// target, then a rename over it. A hard-linked target is replaced, never
// modified in place, so a tree made with `cp -al` does not leak edits.
//
// A set of files is written in two phases. First every target is checked
// (its folder is the tree's own, not reached through a symlink, and can be
// written; the file still holds the bytes the run read; the file system has
// room for the new texts), so that the usual failures stop the write before
// the first file. A write that still fails (a full disk, a folder made
// read-only meanwhile) puts back the files already written, and the error
// names the file and the reason.
import { accessSync, chmodSync, constants, lstatSync, readFileSync, realpathSync, renameSync, rmSync, statfsSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The one atomic write of the project (test/architecture.test.ts lets no
 * other module rename a file into place): `text` goes to a temp file beside
 * `path`, which is then renamed over it, so a reader sees the old bytes or
 * the new, never half; a hard-linked target is replaced, never written into.
 * The mode is `opts.mode`, else the old file's. A missing file is an error
 * unless `opts.create` gives the mode of a new one (before the umask).
 */
export function writeFileAtomic(path: string, text: string | Uint8Array, opts: { mode?: number; create?: number } = {}): void {
  let mode = opts.mode;
  if (mode === undefined) {
    try {
      mode = statSync(path).mode & 0o7777;
    } catch (err) {
      if (opts.create === undefined) throw err;
    }
  }
  const tmp = join(dirname(path), `.${basename(path)}.kmigrate-${process.pid}-${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: mode ?? opts.create });
    // Set again: the mode given at creation is cut by the umask.
    if (mode !== undefined) chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temp file may not exist
    }
    throw err;
  }
}

/** Why one of a set of new files could not be written: `file` (its name), `cause` (the fs error). */
export class FileSetWriteError extends Error {
  constructor(
    readonly file: string,
    override readonly cause: unknown,
  ) {
    super(`${file}: ${reasonOf(cause)}`);
    this.name = 'FileSetWriteError';
  }
}

/**
 * Write the files `files` (names in the existing folder `dir`) all or none:
 * each to a temp file first, and only when every one is written are they
 * renamed into place. On a failure the temp files are removed and
 * FileSetWriteError names the file.
 */
export function writeFileSet(dir: string, files: readonly { name: string; text: string }[]): void {
  const temps: string[] = [];
  try {
    for (const f of files) {
      const tmp = join(dir, `.${f.name}.kmigrate-${process.pid}.tmp`);
      temps.push(tmp);
      writeFileSync(tmp, f.text);
    }
  } catch (err) {
    for (const t of temps) rmSync(t, { force: true });
    throw new FileSetWriteError(files[temps.length - 1]!.name, err);
  }
  files.forEach((f, i) => {
    try {
      renameSync(temps[i]!, join(dir, f.name));
    } catch (err) {
      for (const t of temps.slice(i)) rmSync(t, { force: true });
      throw new FileSetWriteError(f.name, err);
    }
  });
}

/** One file of a tree to replace: `rel` from the root, the bytes the run read, the text to write. */
export interface TreeWrite {
  rel: string;
  before: Uint8Array;
  after: string;
}

/** Why a set of files was not written (or not completely, and what was put back). One line. */
export class TreeWriteError extends Error {
  constructor(
    readonly rel: string,
    reason: string,
  ) {
    super(`${rel}: ${reason}`);
    this.name = 'TreeWriteError';
  }
}

/** The reason an fs call failed, in a few words (`EACCES: permission denied`). */
function reasonOf(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const m = /^[A-Z]+: ([^,]*)/.exec(err.message);
    if (code && m) return `${code}: ${m[1]}`;
    return err.message.split('\n')[0]!;
  }
  return String(err);
}

/** Throws TreeWriteError for the first target that cannot be written as planned. */
export function checkTreeWrites(root: string, writes: readonly TreeWrite[]): void {
  let bytes = 0;
  for (const w of writes) {
    const abs = join(root, w.rel);
    const dir = dirname(abs);
    let realDir: string;
    try {
      realDir = realpathSync(dir);
    } catch (err) {
      throw new TreeWriteError(w.rel, `its folder cannot be resolved (${reasonOf(err)}); nothing was written`);
    }
    if (realDir !== dir) throw new TreeWriteError(w.rel, 'its folder is reached through a symbolic link; nothing was written');
    let st;
    try {
      st = lstatSync(abs);
    } catch (err) {
      throw new TreeWriteError(w.rel, `${reasonOf(err)}; nothing was written`);
    }
    if (!st.isFile()) throw new TreeWriteError(w.rel, 'no longer a regular file; nothing was written');
    try {
      accessSync(dir, constants.W_OK | constants.X_OK);
    } catch (err) {
      throw new TreeWriteError(w.rel, `its folder cannot be written (${reasonOf(err)}); nothing was written`);
    }
    let now: Buffer;
    try {
      now = readFileSync(abs);
    } catch (err) {
      throw new TreeWriteError(w.rel, `cannot be read again (${reasonOf(err)}); nothing was written`);
    }
    if (!now.equals(w.before)) throw new TreeWriteError(w.rel, 'changed since the run read it; nothing was written: run again');
    bytes += Buffer.byteLength(w.after, 'utf8');
  }
  if (writes.length === 0) return;
  let free: number;
  try {
    const fsStat = statfsSync(root);
    free = fsStat.bavail * fsStat.bsize;
  } catch {
    return; // no statfs here: the write itself will tell
  }
  if (bytes > free) throw new TreeWriteError(writes[0]!.rel, `the file system has ${free} bytes free, the new files need ${bytes}; nothing was written`);
}

/**
 * Write every file of `writes` under `root`, or none: checked first, then
 * written one by one; on a failure the files already written get their old
 * bytes back. Throws TreeWriteError.
 */
export function writeTreeFiles(root: string, writes: readonly TreeWrite[]): void {
  checkTreeWrites(root, writes);
  const done: TreeWrite[] = [];
  for (const w of writes) {
    try {
      writeFileAtomic(join(root, w.rel), w.after);
      done.push(w);
    } catch (err) {
      const failedBack: string[] = [];
      for (const d of done.reverse()) {
        try {
          writeFileAtomic(join(root, d.rel), d.before);
        } catch {
          failedBack.push(d.rel);
        }
      }
      const undone =
        done.length === 0
          ? 'nothing was written'
          : failedBack.length === 0
            ? `the ${done.length} file(s) written before it were put back`
            : `${failedBack.length} file(s) written before it could not be put back: ${failedBack.join(', ')}`;
      throw new TreeWriteError(w.rel, `cannot be written (${reasonOf(err)}); ${undone}`);
    }
  }
}
