#!/usr/bin/env node
// npm run build, after tsc: writes beside the compiled loader
// - the migration file validator (ajv's standalone code for
//   codemods/kit/migration.schema.json), so that reading a migration file
//   does not compile the schema at every run;
// - each bundled migration file's spec, read and validated here once, so
//   that a run of a bundled migration neither loads the YAML parser nor
//   validates again.
// Their names carry a hash of what they were made from: after a change of
// the schema or of a migration file without a build, the loader finds none
// and does the work itself.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const KIT = join(REPO, 'dist', 'codemods', 'kit');
const load = await import(join(KIT, 'load.js'));
const registry = await import(join(REPO, 'dist', 'codemods', 'registry.js'));
const written = new Set([load.prebuiltValidatorName()]);
writeFileSync(join(KIT, load.prebuiltValidatorName()), load.validatorSource());
for (const id of registry.bundledFiles) {
  const { path, opts } = registry.bundledFileOf(id);
  const name = load.prebuiltSpecName(readFileSync(path), opts);
  writeFileSync(join(KIT, name), `${JSON.stringify(load.loadMigrationFile(path, opts))}\n`);
  written.add(name);
}
// Those of earlier builds are never read again.
for (const f of readdirSync(KIT)) if (/^migration\.(validate|spec)\.[0-9a-f]{16}\.(cjs|json)$/.test(f) && !written.has(f)) rmSync(join(KIT, f));
