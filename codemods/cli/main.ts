#!/usr/bin/env node
// The only place that reads argv and exits.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Helpers, stopEarly } from '../engine/helpers.js';
import { Exit, processIo, UsageError, type CliIo } from './io.js';
import { parseJobs } from './jobs.js';

// commander is loaded with require: importing a CommonJS package from an ES
// module makes Node lex its source for named exports, a cost paid at every
// start (parser.ts does the same for tree-sitter).
const { Command, CommanderError } = createRequire(import.meta.url)('commander') as typeof import('commander');
type Command = import('commander').Command;

/**
 * The program. Each command's module is loaded when the command runs, so
 * that `run` does not pay at start-up for the model, the patch reader and
 * the series validator.
 */
const COLOR = '--color <when>';
const COLOR_HELP = 'auto (the default: a terminal, NO_COLOR and FORCE_COLOR decide), always or never; --color alone is always';

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('kmigrate')
    .description('Codemods for Linux kernel API migrations')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  const wrap =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A) => {
      setExit(await fn(...args));
    };

  program
    .command('list')
    .description('list the known codemods')
    .action(wrap(async () => (await import('./commands/list.js')).listCommand(io)));

  program
    .command('run')
    .description('run a codemod on a kernel tree; prints a diff, writes nothing unless --write')
    .argument('<codemod>', 'codemod id (see list), or a migration file (.yaml) or folder holding migration.yaml')
    .argument('[paths...]', 'files or folders under the tree to limit the scan to')
    .option('-C, --dir <dir>', 'the tree root', '.')
    .option('--write', 'write the changes (atomically) instead of only printing them')
    .option('--format <format>', 'diff, json or text', 'diff')
    .option('--jobs <n>', 'threads reading the tree: this one and n - 1 workers (default: number of cores)')
    .option(COLOR, COLOR_HELP)
    .option('--no-color', 'no colour (--color=never)')
    .action(
      wrap(async (codemod: string, paths: string[], opts) => {
        // The worker threads boot while the command's modules load.
        const helpers = new Helpers(parseJobs(opts.jobs) - 1);
        helpers.start();
        try {
          return await (await import('./commands/run.js')).runCommand(codemod, paths, opts, io, helpers);
        } finally {
          await helpers.close();
        }
      }),
    );

  program
    .command('check')
    .description("check with the migration's model that every site means what it meant")
    .argument('<codemod>', 'codemod id, or a migration file or folder')
    .option('-C, --dir <dir>', 'the tree (the "after" tree with --against)', '.')
    .option('--against <base-dir>', 'compare the tree at -C (already migrated) with this base tree')
    .option('--format <format>', 'text or json', 'text')
    .option(COLOR, COLOR_HELP)
    .option('--no-color', 'no colour (--color=never)')
    .action(wrap(async (codemod: string, opts) => (await import('./commands/check.js')).checkCommand(codemod, opts, io)));

  program
    .command('validate-series')
    .description('validate a patch series that claims to do the migration (never writes to the tree)')
    .argument('<codemod>', 'codemod id, or a migration file or folder')
    .argument('<series...>', 'format-patch files, a directory of them, an mbox, or a quilt directory')
    .option('-C, --dir <dir>', 'the base tree', '.')
    .option('--build', 'build the objects each patch touches, for x86_64 and (with a cross compiler) arm64')
    .option('--format <format>', 'text or json', 'text')
    .option(COLOR, COLOR_HELP)
    .option('--no-color', 'no colour (--color=never)')
    .action(wrap(async (codemod: string, series: string[], opts) => (await import('./commands/validate-series.js')).validateSeriesCommand(codemod, series, opts, io)));

  program
    .command('format-patch')
    .description('write the migration as git format-patch mails (one patch, or a bisectable series with --split)')
    .argument('<codemod>', 'codemod id, or a migration file or folder')
    .option('-C, --dir <dir>', 'the tree root', '.')
    .option('-o, --output <dir>', 'where to write the patches', '.')
    .option('--split', 'a series: add the new flag, change the API, remove what became unused (--split-by step)')
    .option('--split-by <mode>', "driver (one patch per driver), subsystem (one per MAINTAINERS entry) or step (the migration's steps)")
    .option('--prefix-map <file>', 'JSON object of path prefix to subject prefix, overriding the derived prefixes')
    .option('--to <address>', 'add a To: header to every mail (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--cc <address>', 'add a Cc: header to every mail (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--signoff', 'add Signed-off-by from the tree\'s git identity (the default)', true)
    .option('--no-signoff', 'no Signed-off-by trailer')
    .action(wrap(async (codemod: string, opts) => (await import('./commands/format-patch.js')).formatPatchCommand(codemod, opts, io)));

  return program;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code: number = Exit.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(gitColour(argv), { from: 'user' });
    return io.stdoutFailed?.() ? Exit.usage : code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return Exit.ok;
      return Exit.usage;
    }
    if (err instanceof UsageError) {
      io.stderr(`kmigrate: ${err.message}\n`);
      return Exit.usage;
    }
    io.stderr(`kmigrate: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return Exit.internal;
  }
}

/**
 * A bare `--color` means always, as in git; its value is only ever given
 * as `--color=<when>`, so `run --color <codemod>` keeps its codemod.
 */
function gitColour(argv: string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((a, i) => (a === '--color' && (end < 0 || i < end) ? '--color=always' : a));
}

function isEntryPoint(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(arg) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

/** Run as the process: the exit status goes to process.exitCode (never lowered by a late stdout failure). */
export function runAsProcess(argv: string[]): Promise<void> {
  const io = processIo();
  return main(argv, io)
    .then(
      (code) => {
        process.exitCode = io.stdoutFailed?.() ? Exit.usage : code;
      },
      (err) => {
        process.stderr.write(`kmigrate: internal error: ${String(err)}\n`);
        process.exitCode = Exit.internal;
      },
    )
    // Workers bin.ts started for a run the command never made (a usage
    // error): stopped, not cut off by the exit.
    .then(stopEarly)
    .then(exitWhenFlushed);
}

/**
 * Exit once the output is out, without waiting for the event loop to drain:
 * the command is done, but a run over a large file leaves hundreds of MB of
 * syntax trees whose collection and native finalizers would run after the
 * summary (13 s after a 10 MB file), outside the time it reports.
 */
async function exitWhenFlushed(): Promise<void> {
  const flushed = (s: NodeJS.WriteStream): Promise<void> =>
    new Promise((resolve) => {
      if (s.writableLength === 0 || s.destroyed) resolve();
      else s.write('', () => resolve());
    });
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  // A failed write's 'error' event (which sets the exit status) comes on a
  // later tick. Not a turn of the event loop: that would run the native
  // finalizers of the syntax trees a collection found (7 s after a 10 MB file).
  await new Promise((resolve) => process.nextTick(resolve));
  process.exit();
}

if (isEntryPoint()) void runAsProcess(process.argv.slice(2));
