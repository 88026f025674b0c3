#!/usr/bin/env node
// npm run build, after tsc: writes the migration file validator (ajv's
// standalone code for codemods/kit/migration.schema.json) beside the
// compiled loader, so that reading a migration file does not compile the
// schema at every run. Without it (or after a change of the schema, which
// changes the file's name) the loader compiles the schema itself.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const load = await import(join(REPO, 'dist', 'codemods', 'kit', 'load.js'));
writeFileSync(join(REPO, 'dist', 'codemods', 'kit', load.prebuiltValidatorName()), load.validatorSource());
