// kmigrate run <codemod> [paths...] [-C dir] [--write] [--format diff|json|text] [--jobs n]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diskSource } from '../../io/source.js';
import type { AnyMigration } from '../../engine/migration.js';
import type { RunResult, Site } from '../../engine/types.js';
import { TreeWriteError, writeTreeFiles } from '../../io/write.js';
import { TreePathError } from '../../io/walk.js';
import { streamPaint } from '../colour.js';
import { colourDiff, FileDiffs, renderDiff } from '../reporters/diff.js';
import { runToJson } from '../reporters/json.js';
import { renderText, siteLine, summaryLine } from '../reporters/text.js';
import { migrateWithProgress } from '../migrate.js';
import { Exit, UsageError, type CliIo } from '../io.js';
import { requireKernelTree, requireMigration } from '../tree.js';
import { parseJobs } from '../jobs.js';
import type { Helpers } from '../../engine/helpers.js';

export interface RunFlags {
  dir: string;
  write?: boolean;
  format: string;
  jobs?: string;
  /** --color: auto, always, never; false for --no-color. */
  color?: string | boolean;
}

/** `helpers`: worker threads already started for the run (main.ts starts them while this module loads). */
export async function runCommand(codemod: string, paths: string[], flags: RunFlags, io: CliIo, helpers?: Helpers): Promise<number> {
  return runWith(requireMigration(codemod, io.cwd), paths, flags, io, helpers);
}

/** `run` for a migration object (the registry's, or one a test builds). */
export async function runWith(migration: AnyMigration, paths: string[], flags: RunFlags, io: CliIo, helpers?: Helpers): Promise<number> {
  if (!['diff', 'json', 'text'].includes(flags.format)) throw new UsageError(`--format must be diff, json or text (got '${flags.format}')`);
  const jobs = parseJobs(flags.jobs);
  const paint = streamPaint(flags.color, io);
  const root = requireKernelTree(flags.dir, io.cwd);
  let result: RunResult;
  const diffs = new FileDiffs();
  try {
    // Only --format json prints the parse statistics (the ERROR nodes of every file parsed).
    result = await migrateWithProgress(migration, diskSource(root, paths), io, {
      rootLabel: flags.dir,
      jobs,
      helpers,
      countErrors: flags.format === 'json',
      // Each changed file's diff is made as its result comes, while the workers rewrite on.
      onFileResult: (f) => diffs.add(f),
    });
  } catch (err) {
    if (err instanceof TreePathError) throw new UsageError(err.message);
    throw err;
  }
  // The worker threads are done: they stop while the output is made, and
  // the summary waits for them (a worker's exit frees the syntax trees it
  // parsed: 23 s after a 50 MB file, which the reported time left out).
  const stopping = helpers?.close();

  if (flags.write) {
    // All or nothing: a file that cannot be written stops the write, and
    // the files written before it get their old bytes back.
    const writes = result.files.filter((f) => f.status === 'changed').map((f) => ({ rel: f.path, before: Buffer.from(f.before!, 'utf8'), after: f.after! }));
    try {
      writeTreeFiles(root, writes);
    } catch (err) {
      if (err instanceof TreeWriteError) throw new UsageError(`--write: ${err.message}`);
      throw err;
    }
  }

  const diff = renderDiff(result, diffs);
  if (flags.format === 'json') {
    const verdicts = await siteVerdicts(migration, root, flags.dir, result);
    io.stdout(JSON.stringify(runToJson(result, diff, (s) => verdicts.get(s) ?? {}), null, 2) + '\n');
  } else if (flags.format === 'text') {
    io.stdout(renderText(result, (p) => readOriginal(root, p, result), paint.out));
  } else {
    io.stdout(colourDiff(diff, paint.out));
    for (const s of result.sites) if (s.action === 'manual' || s.notice) io.stderr(siteLine(s, paint.err) + '\n');
  }
  // The wall time since the process started (performance's time origin),
  // taken last: loading, the model's verdicts and the output count too.
  await stopping;
  io.stderr(summaryLine(result, performance.now() / 1000, Boolean(flags.write)) + '\n');
  return result.summary.manual > 0 ? Exit.needsAttention : Exit.ok;
}

/**
 * The migration's model's verdicts, attached to the run's sites (none when
 * the migration has no model). The model is loaded only here: a diff needs
 * none of it.
 */
async function siteVerdicts(migration: AnyMigration, root: string, label: string, result: RunResult): Promise<Map<Site, Record<string, unknown>>> {
  if (migration.meta.model === undefined) return new Map();
  const [{ migrationModel }, { modelTrees, verdictsBySite }] = await Promise.all([import('../../models.js'), import('../model-trees.js')]);
  const model = (await migrationModel(migration))!;
  const { before, after } = modelTrees(root, label, result);
  return verdictsBySite(result.sites, (await model.check({ before, after, declared: migration.meta.declared ?? [] })).sites);
}

function readOriginal(root: string, path: string, r: RunResult): string | undefined {
  const f = r.files.find((x) => x.path === path);
  if (f?.before !== undefined) return f.before;
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
}
