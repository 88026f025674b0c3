// kmigrate check <codemod> [-C dir] [--against base-dir] [--format text|json]
import type { AnyMigration } from '../../engine/migration.js';
import { modelTree, type ModelTree } from '../../engine/model.js';
import { diskSource } from '../../io/source.js';
import { migrationModel } from '../../models.js';
import { Exit, UsageError, type CliIo } from '../io.js';
import { parseJobs } from '../jobs.js';
import { migrateWithProgress } from '../migrate.js';
import { modelTrees } from '../model-trees.js';
import { streamPaint } from '../colour.js';
import { checkToJson, noModelJson, renderCheckText } from '../reporters/check.js';
import { requireKernelTree, requireMigration } from '../tree.js';

export interface CheckFlags {
  dir: string;
  against?: string;
  format: string;
  /** --color: auto, always, never; false for --no-color. */
  color?: string | boolean;
}

export async function checkCommand(codemod: string, flags: CheckFlags, io: CliIo): Promise<number> {
  return checkMigration(requireMigration(codemod, io.cwd), flags, io);
}

export async function checkMigration(migration: AnyMigration, flags: CheckFlags, io: CliIo): Promise<number> {
  if (!['text', 'json'].includes(flags.format)) throw new UsageError(`--format must be text or json (got '${flags.format}')`);
  const paint = streamPaint(flags.color, io);
  const id = migration.meta.id;
  const root = requireKernelTree(flags.dir, io.cwd);
  const base = flags.against !== undefined ? requireKernelTree(flags.against, io.cwd) : undefined;
  const model = await migrationModel(migration);
  if (!model) {
    if (flags.format === 'json') io.stdout(JSON.stringify(noModelJson(id), null, 2) + '\n');
    else io.stdout(`${id} has no model: nothing to check\n`);
    return Exit.ok;
  }
  let before: ModelTree;
  let after: ModelTree;
  const jobs = parseJobs(undefined);
  if (base !== undefined) {
    // Both trees on disk. The files the model reads in each: every file the
    // migration parses there (its needles find the API in both eras).
    const baseRun = await migrateWithProgress(migration, diskSource(base), io, { rootLabel: flags.against!, jobs, countErrors: false });
    const afterRun = await migrateWithProgress(migration, diskSource(root), io, { rootLabel: flags.dir, jobs, countErrors: false });
    before = modelTree(diskSource(base), flags.against!, baseRun.files.map((f) => f.path));
    after = modelTree(diskSource(root), flags.dir, afterRun.files.map((f) => f.path));
  } else {
    const result = await migrateWithProgress(migration, diskSource(root), io, { rootLabel: flags.dir, jobs, countErrors: false });
    ({ before, after } = modelTrees(root, flags.dir, result));
  }
  const check = await model.check({ before, after, declared: migration.meta.declared ?? [] });
  if (flags.format === 'json') io.stdout(JSON.stringify(checkToJson(id, check), null, 2) + '\n');
  else io.stdout(renderCheckText(check, paint.out));
  return check.ok ? Exit.ok : Exit.needsAttention;
}
