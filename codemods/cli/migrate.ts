// Running a migration from a command: progress on a terminal, cleared after.
import type { Helpers } from '../engine/helpers.js';
import type { AnyMigration } from '../engine/migration.js';
import { runMigration, type RunOptions } from '../engine/run.js';
import type { TreeSource } from '../io/source.js';
import type { RunResult } from '../engine/types.js';
import type { CliIo } from './io.js';
import { progressReporter } from './progress.js';

/** What a command tells the run: the root as the user gave it, the threads, and the run's options (RunOptions). */
export interface MigrateOptions {
  rootLabel: string;
  jobs: number;
  helpers?: Helpers;
  countErrors?: boolean;
  onFileResult?: RunOptions['onFileResult'];
}

export async function migrateWithProgress(migration: AnyMigration, source: TreeSource, io: CliIo, opts: MigrateOptions): Promise<RunResult> {
  const progress = progressReporter(io.stderrIsTTY, io.stderr);
  try {
    return await runMigration(migration, source, { ...opts, onProgress: (p) => progress.update(p) });
  } finally {
    progress.done();
  }
}
