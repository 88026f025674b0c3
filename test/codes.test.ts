// One catalogue of diagnostic codes (codemods/registry.ts codeCatalogue):
// docs/codes.md lists exactly it, word for word; every site any sample of
// any bundled migration reports carries a code of its migration's catalogue
// (the engine's and its own); the engine's codes are all reported by some
// run and are the only ones the engine reports; no code is written as a
// bare string outside the catalogues' types.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineMessages } from '../codemods/engine/codes.js';
import { runMigration } from '../codemods/engine/run.js';
import { diskSource } from '../codemods/io/source.js';
import type { Edit } from '../codemods/engine/types.js';
import { codeCatalogue, codesOf, resolveMigration } from '../codemods/registry.js';
import { makeTree } from './helpers/cli.js';
import { renameMigration } from './helpers/rename-migration.js';

const ROOT = process.cwd();
const SAMPLES = join(ROOT, 'samples');
const dirs = (d: string) => readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

/** docs/codes.md's tables: section index → code → message. */
function documented(): Map<string, string>[] {
  const doc = readFileSync('docs/codes.md', 'utf8');
  return doc
    .split(/^## /m)
    .slice(1)
    .map((section) => new Map([...section.matchAll(/^\| `([a-z0-9-]+)` \| [a-z]+ \| (.*) \|$/gm)].map((m) => [m[1]!, m[2]!.replace(/\\\|/g, '|')])));
}

describe('the code catalogue', () => {
  it('docs/codes.md lists every code of every catalogue with its message, in order, and nothing else', () => {
    const sections = documented();
    const catalogues = Object.values(codeCatalogue);
    expect(sections).toHaveLength(catalogues.length);
    catalogues.forEach((cat, i) => expect(Object.fromEntries(sections[i]!)).toEqual({ ...cat }));
  });

  it.each(dirs(SAMPLES))('every site of every %s sample carries a code of its catalogue', async (migration) => {
    const m = resolveMigration(migration, ROOT);
    const codes = codesOf(m);
    expect(m.codes, 'the migration names its codes').toBeDefined();
    const stray: string[] = [];
    let sites = 0;
    for (const c of dirs(join(SAMPLES, migration))) {
      for (const tree of ['before', 'after']) {
        const r = await runMigration(m, diskSource(join(SAMPLES, migration, c, tree)), { rootLabel: '.', jobs: 1 });
        sites += r.sites.length;
        for (const s of r.sites) if (!codes.has(s.code)) stray.push(`${c}/${tree}/${s.path}:${s.line} [${s.code}]`);
      }
    }
    expect(sites).toBeGreaterThan(0);
    expect(stray).toEqual([]);
  });

  it('the engine reports each of its codes, and only those, whatever the migration', async () => {
    const OLD = 'int a(void)\n{\n\treturn old_helper(1);\n}\n';
    const root = makeTree({
      'lib/overlap.c': OLD,
      'lib/reparse.c': OLD.replace('(1)', '(2)'),
      'lib/throws.c': OLD.replace('(1)', '(3)'),
      'lib/latin1.c': Buffer.concat([Buffer.from(OLD), Buffer.from([0xe9, 0x0a])]),
    });
    const m = renameMigration({
      rewrite(file) {
        if (file.path === 'lib/throws.c') throw new Error('a bug');
        const at = file.text.indexOf('old_helper');
        const site = { path: file.path, line: 3, column: 9, kind: 'call' as const, action: 'rewritten' as const, code: 'renamed', message: 'renamed', id: 's' };
        const edits: Edit[] = [{ start: at, end: at + 10, text: file.path === 'lib/reparse.c' ? 'new_helper @' : 'new_helper', sites: ['s'] }];
        if (file.path === 'lib/overlap.c') edits.push({ start: at, end: at + 12, text: 'x', sites: ['s'] });
        return { edits, sites: [site] };
      },
    });
    const source = { ...diskSource(root), unreadableDirs: () => ['lib/locked'] };
    const r = await runMigration(m, source, { rootLabel: '.', jobs: 1 });
    const engine = new Set(r.sites.map((s) => s.code).filter((c) => c !== 'renamed'));
    expect([...engine].sort()).toEqual(Object.keys(engineMessages).sort());
  });

  it('outside the catalogues, no code is written as a bare string in the engine, the kit or a migration', () => {
    const all = new Set(Object.values(codeCatalogue).flatMap((c) => Object.keys(c)));
    const stray: string[] = [];
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    for (const file of ['codemods/engine', 'codemods/kit', 'codemods/migrations'].flatMap((d) => walk(join(ROOT, d)))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bcode: '([a-z0-9-]+)'/g)) if (!all.has(m[1]!)) stray.push(`${relative(ROOT, file)}: ${m[1]}`);
    }
    expect(stray).toEqual([]);
  });
});
