// Running a migration from a command: progress on a terminal, cleared after.
import type { Helpers } from '../engine/helpers.js';
import type { AnyMigration } from '../engine/migration.js';
import { runMigration } from '../engine/run.js';
import type { TreeSource } from '../io/source.js';
import type { RunResult } from '../engine/types.js';
import type { CliIo } from './io.js';
import { progressReporter } from './progress.js';

export async function migrateWithProgress(migration: AnyMigration, source: TreeSource, rootLabel: string, jobs: number, io: CliIo, helpers?: Helpers): Promise<RunResult> {
  const progress = progressReporter(io.stderrIsTTY, io.stderr);
  try {
    return await runMigration(migration, source, { rootLabel, jobs, helpers, onProgress: (p) => progress.update(p) });
  } finally {
    progress.done();
  }
}
