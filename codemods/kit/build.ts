// PLACEHOLDER until the kit is merged: the lead's build.ts replaces this file.
// The loader and the registry depend only on this signature.
import type { AnyMigration } from '../engine/migration.js';
import type { MigrationSpec } from './spec.js';

/** A migration from a validated migration file; `source` is where the file is (for relative paths and messages). */
export function buildMigration(spec: MigrationSpec, source: { file: string; dir: string }): AnyMigration {
  void spec;
  void source;
  throw new Error('kit not merged yet');
}
