// Colour, decided as git and the NO_COLOR / FORCE_COLOR conventions do:
//   --color=always | --color (bare)   colour
//   --color=never  | --no-color       no colour
//   --color=auto (the default)        FORCE_COLOR set: colour, unless it is
//                                     0 or false; else NO_COLOR set and not
//                                     empty: none; else colour when the
//                                     stream is a terminal and TERM is not dumb
// The command line wins over the environment. Each stream is decided on its
// own: `kmigrate run | less` colours neither the diff nor, unless stderr is
// a terminal, the manual sites on stderr.
import { UsageError, type CliIo } from './io.js';

export type ColourWhen = 'auto' | 'always' | 'never';

/** The value of --color (commander gives false for --no-color, undefined when absent). */
export function parseColour(value: string | boolean | undefined): ColourWhen {
  if (value === undefined) return 'auto';
  if (value === false) return 'never';
  if (value === true) return 'always';
  if (value === 'auto' || value === 'always' || value === 'never') return value;
  throw new UsageError(`--color takes auto, always or never (got '${value}')`);
}

/** Whether a stream gets colour. */
export function colourOn(when: ColourWhen, isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (when !== 'auto') return when === 'always';
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return isTTY && env.TERM !== 'dumb';
}

/** The SGR wrappers a reporter uses; every one is the identity without colour. */
export interface Paint {
  bold(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const sgr = (code: number) => (s: string) => (s === '' ? s : `\x1b[${code}m${s}\x1b[0m`);
const same = (s: string) => s;

export const plain: Paint = { bold: same, red: same, green: same, yellow: same, cyan: same };
export const ansi: Paint = { bold: sgr(1), red: sgr(31), green: sgr(32), yellow: sgr(33), cyan: sgr(36) };

export const painter = (on: boolean): Paint => (on ? ansi : plain);

/** The paint of each stream of `io` for a command's --color value. */
export function streamPaint(value: string | boolean | undefined, io: CliIo): { out: Paint; err: Paint } {
  const when = parseColour(value);
  const env = io.env ?? {};
  return { out: painter(colourOn(when, io.stdoutIsTTY, env)), err: painter(colourOn(when, io.stderrIsTTY, env)) };
}
