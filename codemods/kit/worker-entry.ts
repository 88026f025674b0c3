// What a worker thread loads to run a migration file's jobs: the same
// migration, built again from the same data (engine/job-run.ts).
import type { AnyMigration } from '../engine/migration.js';
import { buildMigration } from './build.js';
import type { MigrationSpec } from './spec.js';

export function workerMigration(data: unknown): AnyMigration {
  const { spec, source } = data as { spec: MigrationSpec; source: { file: string; dir: string } };
  return buildMigration(spec, source);
}
