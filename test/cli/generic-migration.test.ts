// The generic layers with a migration that is not the flagship (a rename,
// test/helpers/rename-migration.ts): no model, no flags, no kconfig. check,
// run --format json/text and validate-series must work from what the
// migration gives, and say plainly what it does not give.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkMigration } from '../../codemods/cli/commands/check.js';
import { runWith } from '../../codemods/cli/commands/run.js';
import type { CliIo } from '../../codemods/cli/io.js';
import { renderSeriesText } from '../../codemods/cli/reporters/series.js';
import type { MigrationModel } from '../../codemods/engine/model.js';
import { modelTable } from '../../codemods/models.js';
import { eraProblems, undefinedNameProblems } from '../../codemods/series/consistency.js';
import { validateSeries } from '../../codemods/series/validate.js';
import { makeTree } from '../helpers/cli.js';
import { mailPatch, NEW, OLD, RENAME_TREE, renamed, renameMigration } from '../helpers/rename-migration.js';

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (s) => (out += s), stderr: (s) => (err += s), stdoutIsTTY: false, stderrIsTTY: false, cwd: process.cwd() },
    out: () => out,
    err: () => err,
  };
}

const ALL = ['include/linux/helper.h', 'lib/helper.c', 'drivers/foo/foo.c', 'drivers/bar/bar.c'];
const change = (paths: string[]) => Object.fromEntries(paths.map((p) => [p, { before: RENAME_TREE[p]!, after: renamed(p) }]));

async function validate(migration: ReturnType<typeof renameMigration>, patch: string) {
  const root = makeTree(RENAME_TREE);
  const dir = mkdtempSync(join(tmpdir(), 'kmigrate-series-'));
  const file = join(dir, '0001-lib-Rename.patch');
  writeFileSync(file, patch);
  return validateSeries({ migration, root, rootLabel: 'tree', inputs: [file] });
}

describe('check with a migration without a model', () => {
  it('says so in one line and exits 0', async () => {
    const c = capture();
    const code = await checkMigration(renameMigration(), { dir: makeTree(RENAME_TREE), format: 'text' }, c.io);
    expect(code).toBe(0);
    expect(c.out()).toBe('test-rename-helper has no model: nothing to check\n');
  });

  it('gives JSON with model null, no sites and a zero summary', async () => {
    const c = capture();
    const code = await checkMigration(renameMigration(), { dir: makeTree(RENAME_TREE), format: 'json' }, c.io);
    expect(code).toBe(0);
    expect(JSON.parse(c.out())).toEqual({ codemod: 'test-rename-helper', model: null, sites: [], summary: { equivalent: 0, differs: 0, unknown: 0, declared: 0 } });
  });

  it('a model name the table does not have is an internal error, not "no model"', async () => {
    const migration = renameMigration({ meta: { ...renameMigration().meta, model: 'no-such-model' } });
    await expect(checkMigration(migration, { dir: makeTree(RENAME_TREE), format: 'text' }, capture().io)).rejects.toThrow(/names the model 'no-such-model', which is not in the model table/);
  });

  it('still refuses a bad --format (exit 2 from main)', async () => {
    await expect(checkMigration(renameMigration(), { dir: makeTree(RENAME_TREE), format: 'xml' }, capture().io)).rejects.toThrow(/--format must be text or json/);
  });
});

describe('run with a migration without a model', () => {
  it('--format json: every site, no verdicts, the behaviour change marked', async () => {
    const c = capture();
    const code = await runWith(renameMigration(), [], { dir: makeTree(RENAME_TREE), format: 'json', jobs: '1' }, c.io);
    expect(code).toBe(0);
    const json = JSON.parse(c.out());
    expect(json.codemod).toBe('test-rename-helper');
    expect(json.sites.map((s: { path: string; line: number; kind: string }) => `${s.path}:${s.line} ${s.kind}`)).toEqual([
      'drivers/bar/bar.c:5 call',
      'drivers/foo/foo.c:7 call',
      'include/linux/helper.h:3 prototype',
      'lib/helper.c:3 definition',
    ]);
    expect(json.sites.some((s: object) => 'verdict' in s)).toBe(false);
    expect(json.sites.filter((s: { changesBehaviour?: boolean }) => s.changesBehaviour === true).map((s: { path: string }) => s.path)).toEqual(['lib/helper.c']);
    expect(json.sites.filter((s: object) => 'changesBehaviour' in s)).toHaveLength(1);
    expect(json.diff).toContain(`+\treturn ${NEW}(n);`);
  });

  it('--format text: the marker on the behaviour change only', async () => {
    const c = capture();
    await runWith(renameMigration(), [], { dir: makeTree(RENAME_TREE), format: 'text', jobs: '1' }, c.io);
    const lines = c.out().trim().split('\n');
    expect(lines.filter((l) => l.endsWith(' [changes behaviour]'))).toEqual([`lib/helper.c:3:5: rewritten definition [renamed] ${OLD} -> ${NEW} [changes behaviour]`]);
    expect(lines).toHaveLength(4);
  });
});

describe('run --format json with a model that judges functions', () => {
  const name = 'test-function-model';
  afterEach(() => {
    delete modelTable[name];
  });

  it("attaches a verdict to the site whose symbol is the model site's function when no site is at its line", async () => {
    // The model reports the function at its body's line (4), where no site is; the definition site is at line 3.
    const model: MigrationModel = {
      name,
      description: 'the helper returns what it returned',
      check: ({ before, after }) => {
        const same = before.read('lib/helper.c')?.replaceAll(OLD, NEW) === after.read('lib/helper.c');
        const verdict = same ? ('equivalent' as const) : ('differs' as const);
        return {
          model: name,
          before: before.label,
          after: after.label,
          sites: [{ path: 'lib/helper.c', line: 4, function: NEW, verdict, declared: false, declaredChanges: [], runs: 1, reason: same ? '' : 'the body changed' }],
          problems: [],
          summary: { equivalent: same ? 1 : 0, differs: same ? 0 : 1, unknown: 0, declared: 0, problems: 0 },
          ok: same,
        };
      },
    };
    modelTable[name] = async () => model;
    const migration = renameMigration({ meta: { ...renameMigration().meta, model: name } });
    const c = capture();
    await runWith(migration, [], { dir: makeTree(RENAME_TREE), format: 'json', jobs: '1' }, c.io);
    const sites = JSON.parse(c.out()).sites as { path: string; line: number; verdict?: string }[];
    expect(sites.filter((s) => s.verdict !== undefined).map((s) => `${s.path}:${s.line} ${s.verdict}`)).toEqual(['lib/helper.c:3 equivalent']);

    // check uses the same model, and the text names the function.
    const k = capture();
    expect(await checkMigration(migration, { dir: makeTree(RENAME_TREE), format: 'text' }, k.io)).toBe(0);
    expect(k.out()).toContain(`lib/helper.c:4 in ${NEW}(): equivalent [1 runs]`);
  });
});

describe('validate-series with a migration without a model', () => {
  it('passes a consistent series; the end is equivalent, with a note that nothing checked it', async () => {
    const report = await validate(renameMigration(), mailPatch('lib: Rename old_helper to new_helper', change(ALL)));
    expect(report.patches.map((p) => [p.applies, p.consistent, p.problems])).toEqual([[true, true, []]]);
    expect(report.final).toMatchObject({ complete: true, equivalent: true, calls: [], differsFromKmigrate: [] });
    expect(report.final.problems).toEqual([{ path: '', line: 0, code: 'no-model', message: 'no model: equivalence not checked', severity: 'note' }]);
    expect(report.verdict).toBe('pass');
    const text = renderSeriesText(report);
    expect(text).toContain('  equivalent  PASS\n      [no-model] no model: equivalence not checked\n');
    expect(text).toMatch(/\nverdict: PASS\n$/);
  });

  it('fails a patch that leaves one caller on the old name (one era group)', async () => {
    const report = await validate(renameMigration(), mailPatch('lib: Rename most', change(['include/linux/helper.h', 'lib/helper.c', 'drivers/foo/foo.c'])));
    expect(report.patches[0]!.consistent).toBe(false);
    expect(report.patches[0]!.problems.map((p) => `${p.path}:${p.line} ${p.code}`)).toEqual(['drivers/bar/bar.c:5 mixed-api-old']);
    expect(report.final.complete).toBe(false);
    expect(report.verdict).toBe('fail');
  });

  it('an old-API site kmigrate itself leaves for a person in the base is a note at the end, not a failure', async () => {
    // bar.c is manual in kmigrate's own run too: the series leaves it, as kmigrate would.
    const manualBar = renameMigration({
      rewrite(file) {
        const r = renameMigration().rewrite(file, {});
        if (file.path !== 'drivers/bar/bar.c') return r;
        return { edits: [], sites: r.sites.map((s) => (s.action === 'rewritten' ? { ...s, action: 'manual' as const, code: 'by-hand', message: 'rename it by hand' } : s)) };
      },
      eraOf: (site) => (site.code === 'renamed' || site.code === 'by-hand' ? 'old' : site.code === 'already-new' ? 'new' : undefined),
      eraGroup: (s) => s.path,
    });
    const report = await validate(manualBar, mailPatch('lib: Rename most', change(['include/linux/helper.h', 'lib/helper.c', 'drivers/foo/foo.c'])));
    expect(report.final.complete).toBe(true);
    expect(report.final.problems.filter((p) => p.code === 'old-api-left')).toEqual([]);
    expect(report.final.problems.filter((p) => p.code === 'old-api-left-as-in-base').map((p) => `${p.path}:${p.line} ${p.severity}`)).toEqual(['drivers/bar/bar.c:5 note']);
    // Without the base's manual site, the same leftover is an error.
    const plain = await validate(renameMigration({ eraGroup: (s) => s.path }), mailPatch('lib: Rename most', change(['include/linux/helper.h', 'lib/helper.c', 'drivers/foo/foo.c'])));
    expect(plain.final.problems.filter((p) => p.code === 'old-api-left').map((p) => p.path)).toContain('drivers/bar/bar.c');
  });

  it('with an era group per file, files on different eras are consistent', async () => {
    const migration = renameMigration({ eraGroup: (s) => s.path });
    const report = await validate(migration, mailPatch('lib: Rename most', change(['include/linux/helper.h', 'lib/helper.c', 'drivers/foo/foo.c'])));
    expect(report.patches[0]!.consistent).toBe(true);
    expect(report.final.complete).toBe(false); // bar.c still calls the old name
  });

  it('definedNames: a use of the new name that nothing defines is an error; without definedNames there is none', async () => {
    const patch = mailPatch('foo: Call new_helper', change(['drivers/foo/foo.c']));
    const needing = await validate(renameMigration({ definedNames: [NEW], eraGroup: (s) => s.path }), patch);
    expect(needing.patches[0]!.problems.map((p) => `${p.path}:${p.line} ${p.code}`)).toEqual(['drivers/foo/foo.c:7 undefined-name']);
    const plain = await validate(renameMigration({ eraGroup: (s) => s.path }), patch);
    expect(plain.patches[0]!.problems).toEqual([]);
  });
});

describe('consistency checks on their own', () => {
  const files = new Map(Object.entries({
    'a.c': 'int f(int x)\n{\n\tint y = x;\n\n\treturn y + SOME_FLAG + g(y);\n}\n',
    'a.h': '#define OTHER 1\nint g(int x);\nenum e { E_ONE };\n',
  }));

  it('report no undefined name for ordinary words when the migration gives no prefixes and no names', () => {
    expect(undefinedNameProblems({}, files)).toEqual([]);
    expect(undefinedNameProblems({ flagPrefixes: [], definedNames: [] }, files)).toEqual([]);
  });

  it('find an undefined prefixed name, and count #defines, function declarations and enumerators as definitions', () => {
    expect(undefinedNameProblems({ flagPrefixes: ['SOME_'] }, files).map((p) => `${p.path}:${p.line} ${p.message}`)).toEqual(['a.c:5 SOME_FLAG is used but defined nowhere in the tree at this point']);
    expect(undefinedNameProblems({ definedNames: ['OTHER', 'g', 'E_ONE', 'f'] }, files)).toEqual([]);
    expect(undefinedNameProblems({ definedNames: ['y'] }, files).map((p) => `${p.path}:${p.line}`)).toEqual(['a.c:3', 'a.c:5', 'a.c:5']);
  });

  it('compare eras only within a group', () => {
    const m = renameMigration();
    const site = (path: string, code: string) => ({ path, line: 1, column: 1, kind: 'call' as const, action: 'unchanged' as const, code, message: code });
    const sites = [site('x.c', 'renamed'), site('y.c', 'already-new'), site('y.c', 'already-new')];
    expect(eraProblems(m, sites).map((p) => `${p.path} ${p.code}`)).toEqual(['x.c mixed-api-old']);
    expect(eraProblems(renameMigration({ eraGroup: (s) => s.path }), sites)).toEqual([]);
  });
});
