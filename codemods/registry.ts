// The explicit table of bundled migrations by id (models by name are in models.ts). A migration
// is either TypeScript (its folder's index.ts, in `registry`) or a migration
// file (codemods/migrations/<id>/migration.yaml, its id in `bundledFiles`),
// with the TypeScript steps its folder's index.ts exports when it names any
// (`bundledExtensions`); `resolveMigration` also takes the path of a file
// from anywhere (never with TypeScript steps). Nothing is discovered by
// listing folders: what ships is what these tables say.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { engineMessages } from './engine/codes.js';
import type { AnyMigration } from './engine/migration.js';
import { packageRoot } from './io/package-root.js';
import { buildMigration } from './kit/build.js';
import type { BundledExtensions } from './kit/extension.js';
import { loadBundledFile, loadMigrationFile, type LoadOptions } from './kit/load.js';
import { kitMessages } from './kit/messages.js';
import { svaBindFlagsSteps } from './migrations/iommu-sva-bind-flags/index.js';
import { messages as flagshipMessages } from './migrations/iommu-sva-bind-flags/messages.js';

/** Bundled TypeScript migrations. */
export const registry: ReadonlyMap<string, AnyMigration> = new Map();

/** Ids of bundled migration files: codemods/migrations/<id>/migration.yaml under the package root. */
export const bundledFiles: readonly string[] = ['iommu-sva-bind-flags', 'platform-remove-void', 'i2c-probe-drop-id', 'iommu-sva-bind-drop-drvdata'];

/** The TypeScript steps of bundled migration files, by id: what their `extensions` may name. */
export const bundledExtensions: ReadonlyMap<string, BundledExtensions> = new Map([['iommu-sva-bind-flags', svaBindFlagsSteps]]);

/**
 * Every diagnostic code a run can report, with its message template, by
 * where it is defined: the engine's own (whatever the migration), the kit's
 * (every migration file, bundled or not), and each TypeScript migration's.
 * docs/codes.md lists them all; test/codes.test.ts checks that every site a
 * run reports carries a code of this catalogue.
 */
export const codeCatalogue = {
  engine: engineMessages,
  kit: kitMessages,
  'iommu-sva-bind-flags': flagshipMessages,
} as const satisfies Record<string, Readonly<Record<string, string>>>;

/** The codes a run of `migration` may report: the engine's and the migration's own. */
export function codesOf(migration: AnyMigration): ReadonlySet<string> {
  return new Set([...Object.keys(engineMessages), ...Object.keys(migration.codes ?? {})]);
}

/** The file a folder given on the command line must hold. */
export const MIGRATION_FILE = 'migration.yaml';

/** No bundled migration has that id, and no file or folder has that path: a usage error. */
export class MigrationNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationNotFoundError';
  }
}

/** What resolution looks in; the default is what ships. Tests give their own. */
export interface Bundle {
  migrations: ReadonlyMap<string, AnyMigration>;
  files: readonly string[];
  /** The package root that holds codemods/migrations/<id>/migration.yaml. */
  root: () => string;
  /** The TypeScript steps of bundled files, by id (none when absent). */
  extensions?: ReadonlyMap<string, BundledExtensions>;
}

const shipped: Bundle = { migrations: registry, files: bundledFiles, root: () => packageRoot(), extensions: bundledExtensions };

const loaded = new Map<string, AnyMigration>();

/** A bundled migration by id, TypeScript or file, built once (undefined for unknown ids). */
export function getMigration(id: string): AnyMigration | undefined {
  if (registry.has(id)) return registry.get(id);
  if (!bundledFiles.includes(id)) return undefined;
  if (!loaded.has(id)) loaded.set(id, resolveMigration(id, packageRoot()));
  return loaded.get(id);
}

/** Every bundled id, TypeScript first, in table order. */
export function bundledIds(bundle: Bundle = shipped): string[] {
  return [...bundle.migrations.keys(), ...bundle.files];
}

/** Every bundled migration, loaded (for `kmigrate list`). */
export function bundledMigrations(bundle: Bundle = shipped): AnyMigration[] {
  return bundledIds(bundle).map((id) => resolveMigration(id, bundle.root(), bundle));
}

/**
 * A bundled id, or the path (relative to `cwd`) of a `.yaml`/`.yml` file or
 * of a folder holding migration.yaml. An argument with a `/` or a YAML
 * extension is always a path; otherwise a bundled id wins over a folder of
 * the same name in `cwd` (write `./name` for the folder).
 * Throws MigrationNotFoundError, or MigrationFileError for a bad file.
 */
export function resolveMigration(idOrPath: string, cwd: string, bundle: Bundle = shipped): AnyMigration {
  const looksLikePath = idOrPath.includes('/') || /\.ya?ml$/i.test(idOrPath) || idOrPath === '.' || idOrPath === '..';
  if (!looksLikePath) {
    const ts = bundle.migrations.get(idOrPath);
    if (ts) return ts;
    if (bundle.files.includes(idOrPath)) {
      const root = bundle.root();
      const rel = join('codemods', 'migrations', idOrPath, MIGRATION_FILE);
      return fromFile(join(root, rel), rel, bundledStepsOf(idOrPath, bundle));
    }
    if (!existsSync(resolve(cwd, idOrPath))) {
      throw new MigrationNotFoundError(
        `unknown codemod '${idOrPath}' (known: ${bundledIds(bundle).join(', ')}; see 'kmigrate list'), and no file or folder of that name`,
      );
    }
  }
  const path = resolve(cwd, idOrPath);
  if (!existsSync(path)) throw new MigrationNotFoundError(`${idOrPath}: no such migration file or folder`);
  if (statSync(path).isDirectory()) {
    const file = join(path, MIGRATION_FILE);
    if (!existsSync(file)) throw new MigrationNotFoundError(`${idOrPath}: folder has no ${MIGRATION_FILE}`);
    return fromFile(file, join(idOrPath, MIGRATION_FILE), undefined);
  }
  if (!/\.ya?ml$/i.test(basename(path))) throw new MigrationNotFoundError(`${idOrPath}: not a migration file (.yaml or .yml), nor a bundled codemod id`);
  return fromFile(path, idOrPath, undefined);
}

/** A bundled file whose folder exports no TypeScript steps. */
const NO_STEPS: BundledExtensions = { steps: {}, module: '' };

function bundledStepsOf(id: string, bundle: Bundle = shipped): BundledExtensions {
  return bundle.extensions?.get(id) ?? NO_STEPS;
}

/** How a file is read: `bundled`, the steps of a bundled file's folder (a file from elsewhere has none and may name none). */
function loadOptions(label: string, bundled: BundledExtensions | undefined): LoadOptions {
  return { label, allowExtensions: bundled !== undefined, ...(bundled ? { knownExtensions: Object.keys(bundled.steps) } : {}) };
}

/** A bundled migration file's path and how it is read: what `npm run build` stores its spec for (scripts/gen-validator.mjs). */
export function bundledFileOf(id: string): { path: string; opts: LoadOptions } {
  const rel = join('codemods', 'migrations', id, MIGRATION_FILE);
  return { path: join(packageRoot(), rel), opts: loadOptions(rel, bundledStepsOf(id)) };
}

function fromFile(file: string, label: string, bundled: BundledExtensions | undefined): AnyMigration {
  const opts = loadOptions(label, bundled);
  const spec = bundled ? loadBundledFile(file, opts) : loadMigrationFile(file, opts);
  return buildMigration(spec, { file, dir: dirname(file) }, bundled);
}
