// kmigrate validate-series <codemod> <patch|mbox|dir>... [-C dir] [--build] [--format text|json]
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { SeriesInputError, validateSeries } from '../../series/validate.js';
import { Exit, UsageError, type CliIo } from '../io.js';
import { streamPaint } from '../colour.js';
import { renderSeriesText, seriesToJson } from '../reporters/series.js';
import { requireKernelTree, requireMigration } from '../tree.js';
import { parseJobs } from '../jobs.js';
import { statusLine } from '../progress.js';

export interface ValidateFlags {
  dir: string;
  build?: boolean;
  format: string;
  /** --color: auto, always, never; false for --no-color. */
  color?: string | boolean;
}

/** The build copy and build directories live in the user's cache. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  // The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored.
  const xdg = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(xdg, 'kmigrate');
}

export async function validateSeriesCommand(codemod: string, inputs: string[], flags: ValidateFlags, io: CliIo): Promise<number> {
  const migration = requireMigration(codemod, io.cwd);
  if (!['text', 'json'].includes(flags.format)) throw new UsageError(`--format must be text or json (got '${flags.format}')`);
  if (inputs.length === 0) throw new UsageError('give the series: patch files, a directory of them, an mbox, or a quilt directory');
  const root = requireKernelTree(flags.dir, io.cwd);
  const paint = streamPaint(flags.color, io);
  const status = statusLine(io.stderrIsTTY, io.stderr);
  let report;
  try {
    report = await validateSeries({
      migration,
      root,
      rootLabel: flags.dir,
      inputs: inputs.map((i) => resolve(io.cwd, i)),
      build: Boolean(flags.build),
      workDir: join(cacheDir(), 'series'),
      jobs: parseJobs(undefined),
      onProgress: status.say,
    });
  } catch (err) {
    if (err instanceof SeriesInputError) throw new UsageError(err.message);
    throw err;
  } finally {
    status.clear();
  }
  io.stdout(flags.format === 'json' ? JSON.stringify(seriesToJson(report), null, 2) + '\n' : renderSeriesText(report, paint.out));
  return report.verdict === 'pass' ? Exit.ok : Exit.needsAttention;
}
