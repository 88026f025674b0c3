// What a command may touch of the process: streams and whether stderr is a
// terminal. Commands return an exit status; only main.ts calls process.exit.
export interface CliIo {
  stdout: (chunk: string) => void;
  stderr: (chunk: string) => void;
  /** stdout is a terminal (colour allowed). */
  stdoutIsTTY: boolean;
  /** stderr is a terminal (progress allowed). */
  stderrIsTTY: boolean;
  cwd: string;
  /** The environment colour is decided by (NO_COLOR, FORCE_COLOR, TERM; colour.ts); none: no colour unless asked. */
  env?: NodeJS.ProcessEnv;
  /** Writing to stdout failed (already reported): the exit status must be 2. */
  stdoutFailed?: () => boolean;
}

/** Exit statuses shared by every command (docs/cli.md, "Exit status"). */
export const Exit = {
  ok: 0,
  needsAttention: 1,
  usage: 2,
  internal: 3,
} as const;

/** A user error: bad usage or unusable input. Rendered as one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The process's streams. A failing stdout (`> /dev/full`, a closed pipe) is
 * reported in one line and makes the exit status 2 (a closed pipe quietly:
 * the reader went away, as git treats it); later output is dropped. The
 * error arrives as an event, possibly after the command returned, so the
 * status is set here as well as returned by `stdoutFailed`.
 */
export function processIo(
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  setExitCode: (code: number) => void = (code) => {
    process.exitCode = code;
  },
): CliIo {
  let failed = false;
  out.on('error', (e: NodeJS.ErrnoException) => {
    if (failed) return;
    failed = true;
    if (e.code !== 'EPIPE') err.write(`kmigrate: cannot write to standard output: ${ioReason(e)}\n`);
    setExitCode(Exit.usage);
  });
  // A failing stderr has nowhere to be reported: ignore it rather than crash.
  err.on('error', () => {});
  return {
    stdout: (s) => {
      if (!failed) out.write(s);
    },
    stderr: (s) => err.write(s),
    stdoutIsTTY: Boolean((out as { isTTY?: boolean }).isTTY),
    stderrIsTTY: Boolean((err as { isTTY?: boolean }).isTTY),
    cwd: process.cwd(),
    env: process.env,
    stdoutFailed: () => failed,
  };
}

/** A file system error as a short reason ("permission denied"), without the stack. */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EEXIST: 'a file is in the way',
    ENOTDIR: 'a file is in the way (not a folder)',
    EISDIR: 'is a folder',
    ENOENT: 'no such file or folder',
    EIO: 'input/output error',
    EPIPE: 'broken pipe',
  };
  if (code && known[code]) return `${known[code]} (${code})`;
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}
