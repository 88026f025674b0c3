// Resolving the <codemod> argument: a bundled id, a file, a folder holding
// migration.yaml, or a bundled migration file under the package root. The
// kit's build step is replaced by a recorder: what is tested here is which
// file is read and what is handed to buildMigration.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnyMigration } from '../../codemods/engine/migration.js';
import type { BundledExtensions, KitExtension } from '../../codemods/kit/extension.js';
import type { MigrationSpec } from '../../codemods/kit/spec.js';
import { makeTree } from '../helpers/cli.js';

const built: { spec: MigrationSpec; source: { file: string; dir: string }; bundled?: BundledExtensions }[] = [];

vi.mock('../../codemods/kit/build.js', () => ({
  buildMigration: (spec: MigrationSpec, source: { file: string; dir: string }, bundled?: BundledExtensions) => {
    built.push({ spec, source, ...(bundled ? { bundled } : {}) });
    return { meta: { id: spec.id, subject: spec.subject, summary: spec.summary, reference: spec.reference, rationale: [spec.rationale], steps: [] } } as unknown as AnyMigration;
  },
}));

const { bundledIds, bundledMigrations, MigrationNotFoundError, registry, resolveMigration } = await import('../../codemods/registry.js');
const { getModel, modelTable: models } = await import('../../codemods/models.js');
const { MigrationFileError } = await import('../../codemods/kit/load.js');
const { packageRoot } = await import('../../codemods/io/package-root.js');

const file = (id: string, extra = '') =>
  `id: ${id}\nsubject: 'demo: Do it'\nsummary: does it\nreference: none\nrationale: because\n${extra}changes:\n  - remove-define: { name: DEMO }\n`;

beforeEach(() => {
  built.length = 0;
});

/** A bundled TypeScript migration, for the table's tests (every shipped one is a file now). */
const demoTs = { meta: { id: 'demo-ts' } } as unknown as AnyMigration;
const tsTable = new Map<string, AnyMigration>([['demo-ts', demoTs]]);

describe('resolveMigration', () => {
  it('a bundled TypeScript id gives the table entry and reads no file', () => {
    const bundle = { migrations: tsTable, files: [], root: () => '/' };
    expect(resolveMigration('demo-ts', '/', bundle)).toBe(demoTs);
    expect(built).toEqual([]);
  });

  it('a .yaml or .yml path, relative to cwd or absolute', () => {
    const dir = makeTree({ 'sub/a.yaml': file('from-yaml'), 'b.yml': file('from-yml') });
    expect(resolveMigration('sub/a.yaml', dir).meta.id).toBe('from-yaml');
    expect(built[0]!.source).toEqual({ file: join(dir, 'sub/a.yaml'), dir: join(dir, 'sub') });
    expect(resolveMigration(join(dir, 'b.yml'), '/').meta.id).toBe('from-yml');
    expect(resolveMigration('b.yml', dir).meta.id).toBe('from-yml');
  });

  it('a folder holding migration.yaml, with or without a slash', () => {
    const dir = makeTree({ 'change/migration.yaml': file('in-folder') });
    expect(resolveMigration('change', dir).meta.id).toBe('in-folder');
    expect(resolveMigration('./change/', dir).meta.id).toBe('in-folder');
    expect(built.map((b) => b.source.file)).toEqual([join(dir, 'change/migration.yaml'), join(dir, 'change/migration.yaml')]);
  });

  it('a bundled id wins over a folder of that name; ./name means the folder', () => {
    const dir = makeTree({ 'iommu-sva-bind-flags/migration.yaml': file('local-copy') });
    expect(resolveMigration('iommu-sva-bind-flags', dir).meta.id).toBe('iommu-sva-bind-flags');
    expect(built[0]!.source.file).toBe(join(packageRoot(), 'codemods/migrations/iommu-sva-bind-flags/migration.yaml'));
    expect(resolveMigration('./iommu-sva-bind-flags', dir).meta.id).toBe('local-copy');
  });

  it('a file from elsewhere may not name extensions; a bundled one may', () => {
    const root = makeTree({ 'codemods/migrations/demo-bundled/migration.yaml': file('demo-bundled', 'extensions: [special]\n') });
    const steps: BundledExtensions = { steps: { special: {} as KitExtension }, module: 'file:///demo-bundled/index.js' };
    const bundle = { migrations: new Map<string, AnyMigration>(), files: ['demo-bundled'], root: () => root, extensions: new Map([['demo-bundled', steps]]) };
    expect(resolveMigration('demo-bundled', '/', bundle).meta.id).toBe('demo-bundled');
    expect(built[0]!.source.file).toBe(join(root, 'codemods/migrations/demo-bundled/migration.yaml'));
    expect(built[0]!.spec.extensions).toEqual(['special']);
    // The folder's steps go to the kit with the file.
    expect(built[0]!.bundled).toBe(steps);
    // The same file by its path is a file from elsewhere: no code.
    expect(() => resolveMigration(join(root, 'codemods/migrations/demo-bundled'), '/', bundle)).toThrow(MigrationFileError);
  });

  it('a bundled file may name only the steps its folder exports', () => {
    const root = makeTree({ 'codemods/migrations/demo-bundled/migration.yaml': file('demo-bundled', 'extensions: [special, missing]\n') });
    const steps: BundledExtensions = { steps: { special: {} as KitExtension }, module: 'file:///demo-bundled/index.js' };
    const bundle = { migrations: new Map<string, AnyMigration>(), files: ['demo-bundled'], root: () => root, extensions: new Map([['demo-bundled', steps]]) };
    expect(() => resolveMigration('demo-bundled', '/', bundle)).toThrow(
      /^codemods\/migrations\/demo-bundled\/migration\.yaml:6: extensions\[1\]: no TypeScript step 'missing' in the folder's index\.ts \(known: special\)$/,
    );
    // A folder that exports none: every id is unknown.
    const bare = { ...bundle, extensions: new Map<string, BundledExtensions>() };
    expect(() => resolveMigration('demo-bundled', '/', bare)).toThrow(/extensions\[0\]: no TypeScript step 'special' .*\(known: none\)$/);
    expect(built).toEqual([]);
  });

  it('a bundled file is named from the package root in messages', () => {
    const root = makeTree({ 'codemods/migrations/broken/migration.yaml': 'id: broken\n' });
    const bundle = { migrations: new Map<string, AnyMigration>(), files: ['broken'], root: () => root };
    expect(() => resolveMigration('broken', '/', bundle)).toThrow(/^codemods\/migrations\/broken\/migration\.yaml:1: missing required key 'subject'$/);
  });

  it('list: TypeScript migrations first, then bundled files, each loaded', () => {
    const root = makeTree({ 'codemods/migrations/demo-bundled/migration.yaml': file('demo-bundled') });
    const bundle = { migrations: tsTable, files: ['demo-bundled'], root: () => root };
    expect(bundledIds(bundle)).toEqual(['demo-ts', 'demo-bundled']);
    expect(bundledMigrations(bundle).map((m) => m.meta.id)).toEqual(['demo-ts', 'demo-bundled']);
  });

  it('not found: unknown id, missing path, folder without migration.yaml, another extension', () => {
    const dir = makeTree({ 'empty/x': '', 'notes.txt': '' });
    for (const arg of ['no-such-id', 'missing.yaml', './missing', 'empty', 'notes.txt']) {
      expect(() => resolveMigration(arg, dir), arg).toThrow(MigrationNotFoundError);
    }
    expect(built).toEqual([]);
  });

  it('an absolute folder path, cwd unused', () => {
    const dir = makeTree({});
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm', 'migration.yaml'), file('nested'));
    expect(resolveMigration(join(dir, 'm'), '/').meta.id).toBe('nested');
  });
});

describe('the shipped tables', () => {
  it('bundled migration files are read from the package root found from the module', () => {
    expect(packageRoot()).toBe(process.cwd());
    // Every listed id has its file where the resolver looks for it.
    for (const id of bundledIds().filter((i) => !registry.has(i))) {
      expect(() => resolveMigration(id, '/')).not.toThrow();
    }
  });

  it('getModel: undefined for a name no model has', async () => {
    expect(await getModel('no-such-model')).toBeUndefined();
    expect(await getModel('toString')).toBeUndefined();
    for (const [name, load] of Object.entries(models)) expect((await load()).name).toBe(name);
  });
});
