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
}

/** Exit statuses shared by every command (SPEC §2). */
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

export function processIo(): CliIo {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}
