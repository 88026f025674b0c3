// Which files a migration file makes candidates: an added define's file is
// read whatever it holds (its anchor is no needle: it matters nowhere else),
// and a member's struct is a needle only when no other needle holds the
// member's name.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMigration } from '../../codemods/engine/run.js';
import { diskSource } from '../../codemods/io/source.js';
import { getMigration, resolveMigration } from '../../codemods/registry.js';
import { makeTree } from '../helpers/cli.js';

const HEADER = `id: widget-quiet
subject: 'widget: Add WIDGET_QUIET'
summary: widget_poke -> widget_prod, and WIDGET_QUIET
reference: none
rationale: |
  A test.
`;

const ADD_DEFINE = `  - add-define:
      name: WIDGET_QUIET
      value: BIT(3)
      file: include/linux/widget.h
      after: WIDGET_MAX
  - rename: { from: widget_poke, to: widget_prod }
`;

function migrationFile(changes: string): string {
  const dir = makeTree({ 'migration.yaml': `${HEADER}changes:\n${changes}` });
  return join(dir, 'migration.yaml');
}

async function run(changes: string, tree: Record<string, string>, paths: string[] = []) {
  const migration = resolveMigration(migrationFile(changes), process.cwd());
  return runMigration(migration, diskSource(makeTree(tree), paths), { rootLabel: '.', jobs: 1 });
}

const CALLER = 'void f(void)\n{\n\twidget_poke(1);\n}\n';

describe("an added define's file", () => {
  it('is read though it holds no needle: the define goes after its anchor', async () => {
    const r = await run(ADD_DEFINE, { 'include/linux/widget.h': '#define WIDGET_MAX\t4\n', 'lib/f.c': CALLER });
    expect(r.sites.map((s) => `${s.path} ${s.code}`)).toEqual(['include/linux/widget.h define-added', 'lib/f.c renamed']);
    expect(r.files.find((f) => f.path === 'include/linux/widget.h')?.after).toBe('#define WIDGET_MAX\t4\n\n#define WIDGET_QUIET\tBIT(3)\n');
  });

  it('without its anchor, and holding no needle, reports the define it could not add', async () => {
    const r = await run(ADD_DEFINE, { 'include/linux/widget.h': '#define WIDGET_MIN\t1\n', 'lib/f.c': CALLER });
    expect(r.sites.find((s) => s.path === 'include/linux/widget.h')).toMatchObject({ action: 'manual', code: 'define-anchor-missing' });
  });

  it('outside the paths of a limited run, is left alone', async () => {
    const r = await run(ADD_DEFINE, { 'include/linux/widget.h': '#define WIDGET_MAX\t4\n', 'lib/f.c': CALLER }, ['lib']);
    expect(r.sites.map((s) => `${s.path} ${s.code}`)).toEqual(['lib/f.c renamed']);
  });

  it('a file that only names the anchor is no candidate', async () => {
    const r = await run(ADD_DEFINE, { 'include/linux/widget.h': '#define WIDGET_MAX\t4\n', 'lib/g.c': 'int n = WIDGET_MAX;\n' });
    expect(r.summary.filesParsed).toBe(1);
    expect(r.files.map((f) => f.path)).toEqual(['include/linux/widget.h']);
  });
});

describe("a member's struct as a needle", () => {
  const MEMBER = `  - member:
      struct: widget_ops
      member: poke
      params:
        - { index: 1, from: void *, action: remove, args: { drop: [NULL], message: convert it } }
`;
  const OPS = 'static int my_poke(int a, void *p)\n{\n\treturn a;\n}\n\nstatic const struct widget_ops ops = {\n\t.poke = my_poke,\n};\n';

  it('is one when the member is only found through it', () => {
    const m = resolveMigration(migrationFile(MEMBER), process.cwd());
    expect(m.needles).toContain('\\bwidget_ops');
  });

  it("is none when another needle holds the member's name, and the registrations are found all the same", async () => {
    const changes = `${MEMBER}  - rename: { from: poke, to: prod }\n`;
    const m = resolveMigration(migrationFile(changes), process.cwd());
    expect(m.needles).not.toContain('\\bwidget_ops');
    const tree = { 'drivers/w.c': OPS, 'include/w.h': 'struct widget_ops;\n' };
    const r = await runMigration(m, diskSource(makeTree(tree)), { rootLabel: '.', jobs: 1 });
    expect(r.files.find((f) => f.path === 'drivers/w.c')?.after).toContain('static int my_poke(int a)');
    expect(r.files.map((f) => f.path)).toEqual(['drivers/w.c']);
  });

  it('the bundled migrations: the flagship finds iommu_ops through sva_bind, the others through the struct', () => {
    expect(getMigration('iommu-sva-bind-flags')!.needles).not.toContain('\\biommu_ops');
    expect(getMigration('iommu-sva-bind-drop-drvdata')!.needles).toContain('\\biommu_ops');
    expect(getMigration('platform-remove-void')!.needles).toContain('\\bplatform_driver');
  });
});
