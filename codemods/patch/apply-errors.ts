// The errors of applying patches: every one names the file (relative to the
// tree) and, for a hunk, its number and the line where it was expected.

export type ApplyErrorCode =
  | 'hunk-failed'
  | 'unsafe-path'
  | 'missing-file'
  | 'already-exists'
  | 'not-a-file'
  | 'not-utf8'
  | 'binary'
  | 'delete-mismatch';

export class PatchApplyError extends Error {
  constructor(
    readonly code: ApplyErrorCode,
    /** The file (relative to the root) the failure is about. */
    readonly path: string,
    readonly reason: string,
    /** 1-based number of the hunk that failed, when one did. */
    readonly hunk?: number,
    /** 1-based line in the target where the hunk was expected. */
    readonly line?: number,
    /** For a failed hunk: the first line the patch expected there, and what the file has. */
    readonly expected?: string,
    readonly actual?: string,
  ) {
    super(
      hunk !== undefined
        ? `${path}: hunk #${hunk} does not apply at line ${line}: ${reason}`
        : `${path}: ${reason}`,
    );
    this.name = 'PatchApplyError';
  }
}

/** A path that would leave the tree (or touch .git, or write through a symlink). */
export class UnsafePathError extends PatchApplyError {
  constructor(p: string, reason: string) {
    super('unsafe-path', p, reason);
    this.name = 'UnsafePathError';
  }
}
