// kmigrate check <codemod> [-C dir] [--against base-dir] [--format text|json]
import { checkTrees, diskTree, overlayTree, type CheckResult, type TreeSource } from '../../../iommu-model/index.js';
import { diskSource, textReader } from '../../engine/source.js';
import type { RunResult } from '../../engine/types.js';
import { Exit, UsageError, type CliIo } from '../io.js';
import { migrateWithProgress } from '../migrate.js';
import { checkToJson, renderCheckText } from '../reporters/check.js';
import { requireKernelTree, requireMigration } from '../tree.js';
import { parseJobs } from './run.js';

export interface CheckFlags {
  dir: string;
  against?: string;
  format: string;
}

/** The model only knows the SVA bind API. */
const MODELLED = new Set(['iommu-sva-bind-flags']);

export async function checkCommand(codemod: string, flags: CheckFlags, io: CliIo): Promise<number> {
  const migration = requireMigration(codemod, io.cwd);
  if (!MODELLED.has(migration.meta.id)) throw new UsageError(`no model for codemod '${codemod}'`);
  if (!['text', 'json'].includes(flags.format)) throw new UsageError(`--format must be text or json (got '${flags.format}')`);
  const root = requireKernelTree(flags.dir, io.cwd);
  let before: TreeSource;
  let after: TreeSource;
  if (flags.against !== undefined) {
    const base = requireKernelTree(flags.against, io.cwd);
    before = await diskTree(base, { label: flags.against });
    after = await diskTree(root, { label: flags.dir });
  } else {
    const result = await migrateWithProgress(migration, diskSource(root), flags.dir, parseJobs(undefined), io);
    ({ before, after } = modelTrees(root, flags.dir, result));
  }
  const check = checkTrees({ before, after });
  if (flags.format === 'json') io.stdout(JSON.stringify(checkToJson(migration.meta.id, check), null, 2) + '\n');
  else io.stdout(renderCheckText(check));
  return check.ok ? Exit.ok : Exit.needsAttention;
}

/** The tree on disk and kmigrate's own migration of it, in memory, for the model. */
export function modelTrees(root: string, label: string, result: RunResult): { before: TreeSource; after: TreeSource } {
  // Every file the run parsed: the model finds the calls among them itself.
  const paths = result.files.map((f) => f.path);
  const changes = new Map<string, string | null>();
  for (const f of result.files) if (f.status === 'changed') changes.set(f.path, f.after!);
  const before: TreeSource = { label, paths, read: textReader(diskSource(root)) };
  return { before, after: overlayTree(before, changes, `kmigrate's migration of ${label}`) };
}

export type { CheckResult };
