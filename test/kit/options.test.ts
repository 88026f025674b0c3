// The kit's options for a parameter retype and its companions, each on a
// small tree with a migration file alone (no TypeScript step): code tables
// and a file's own messages, a new kernel-doc description, calls holding an
// ERROR node, a retyped parameter against the body, reads of a retyped
// member, a rename that keeps its define, an include dropped only where
// names were edited, and the loader's checks of them.
import { describe, expect, it } from 'vitest';
import { runMigration } from '../../codemods/engine/run.js';
import type { RunResult } from '../../codemods/engine/types.js';
import type { TreeSource } from '../../codemods/io/source.js';
import { buildMigration } from '../../codemods/kit/build.js';
import { MigrationFileError, parseMigration } from '../../codemods/kit/load.js';

const HEAD = `id: flags-demo
subject: 'demo: Pass flags'
summary: bind(dev, void *data) -> bind(dev, unsigned int flags)
reference: none
rationale: A test.
`;

const PARAM = `
        - index: 1
          from: void *
          action: retype
          to: unsigned int
          name: flags
          doc: DEMO_* flags, or 0
          args: { map: { NULL: '0' } }`;

const YAML = `${HEAD}messages:
  call-null: 'argument {arg} becomes 0'
  sig: 'void *{param} -> unsigned int {name}'
  renamed-flag: '{old} -> {new}'
changes:
  - function:
      name: bind
      params:${PARAM}
      callsWithErrors: manual
      group: demo
      codes: { signature: sig, call-args: call-null }
  - member:
      struct: demo_ops
      member: bind
      retype: true
      reportReads: true
      group: demo
      params:${PARAM}
  - rename: { from: OLD_FLAG, to: DEMO_FLAG, keepDefine: true, codes: { renamed: renamed-flag } }
  - remove-define: { name: OLD_FLAG }
  - drop-include: { header: linux/old.h, when: names-edited }
`;

const FILES: Record<string, string> = {
  'include/linux/old.h': '#define OLD_FLAG 1\n',
  'include/linux/demo.h': [
    'struct demo_ops {',
    '\tint (*bind)(struct device *dev, void *data);',
    '};',
    'int bind(struct device *, void *);',
    '',
  ].join('\n'),
  'drivers/core.c': [
    '/**',
    ' * bind() - bind a device',
    ' * @dev: the device',
    ' * @data: opaque data',
    ' *        for the callback',
    ' */',
    'int bind(struct device *dev, void *data)',
    '{',
    '\tconst struct demo_ops *ops = dev->ops;',
    '',
    '\tif (!ops->bind)',
    '\t\treturn -ENODEV;',
    '\treturn ops->bind(dev, data);',
    '}',
    '',
  ].join('\n'),
  'drivers/user.c': [
    '#include <linux/old.h>',
    '',
    'int f(struct device *dev)',
    '{',
    '\tint ret = bind(dev, NULL);',
    '',
    '\treturn ret ? ret : bind(dev, NULL, ));',
    '}',
    '',
    'int g(void) { return OLD_FLAG; }',
    '',
  ].join('\n'),
  // Includes the header and uses nothing from it: keeps the include.
  'drivers/other.c': '#include <linux/old.h>\n\nint h(struct device *dev)\n{\n\treturn bind(dev, NULL);\n}\n',
  'drivers/impl.c': [
    'static int impl_bind(struct device *dev, void *data)',
    '{',
    '\tint flags = 0;',
    '',
    '\treturn use(data, flags);',
    '}',
    '',
    'static const struct demo_ops ops = { .bind = impl_bind };',
    '',
  ].join('\n'),
};

function source(files: Record<string, string>): TreeSource {
  return { list: () => Object.keys(files).sort(), read: (p) => (files[p] === undefined ? undefined : Buffer.from(files[p]!)) };
}

async function run(yaml: string, files: Record<string, string> = FILES): Promise<RunResult> {
  const spec = parseMigration(yaml, 'demo.yaml');
  return runMigration(buildMigration(spec, { file: 'demo.yaml', dir: '.' }), source(files), { rootLabel: '.', jobs: 1 });
}

const after = (r: RunResult, path: string) => r.files.find((f) => f.path === path)?.after;
const sitesOf = (r: RunResult, path: string) => r.sites.filter((s) => s.path === path).map((s) => `${s.line} ${s.action} ${s.code}: ${s.message}`);

describe('kit options for a parameter retype', () => {
  it('code tables and messages, kernel-doc text, a forwarding wrapper, member reads, groups', async () => {
    const r = await run(YAML);
    expect(after(r, 'drivers/core.c')).toContain(' * @flags: DEMO_* flags, or 0\n */\nint bind(struct device *dev, unsigned int flags)\n');
    expect(after(r, 'drivers/core.c')).toContain('\treturn ops->bind(dev, flags);\n');
    expect(sitesOf(r, 'drivers/core.c')).toEqual([
      '2 unchanged in-comment: in a comment',
      '2 unchanged in-comment: in a comment',
      '4 rewritten kernel-doc: kernel-doc of bind(): @data -> @flags',
      '7 rewritten sig: void *data -> unsigned int flags',
      '11 unchanged member-read: reads .bind without calling it; nothing to change',
      '13 rewritten call-forward: call of ->bind(): forwards its own parameter data, now flags',
    ]);
    // The function's and the member's sites share the group the file names.
    expect(new Set(r.sites.filter((s) => s.path === 'drivers/core.c').map((s) => s.group))).toEqual(new Set(['demo']));
    // A prototype's unnamed parameter stays unnamed; the member's is named.
    expect(after(r, 'include/linux/demo.h')).toBe('struct demo_ops {\n\tint (*bind)(struct device *dev, unsigned int flags);\n};\nint bind(struct device *, unsigned int);\n');
  });

  it('a call holding an ERROR node is left for a person; the rename keeps the define, which goes once unused; the include only where a name was edited', async () => {
    const r = await run(YAML);
    expect(sitesOf(r, 'drivers/user.c')).toEqual([
      '1 rewritten include-removed: #include <linux/old.h> removed: nothing from it is used any more',
      '5 rewritten call-null: argument NULL becomes 0',
      "7 manual error-node: tree-sitter cannot parse the code around bind; not rewritten: check it by hand",
      '10 rewritten renamed-flag: OLD_FLAG -> DEMO_FLAG',
    ]);
    expect(after(r, 'drivers/user.c')).toContain('\treturn ret ? ret : bind(dev, NULL, ));\n');
    expect(after(r, 'drivers/other.c')).toBe('#include <linux/old.h>\n\nint h(struct device *dev)\n{\n\treturn bind(dev, 0);\n}\n');
    expect(after(r, 'include/linux/old.h')).toBe('');
    expect(sitesOf(r, 'include/linux/old.h')).toEqual(['1 rewritten define-removed: OLD_FLAG removed: nothing uses it any more']);
  });

  it('without callsWithErrors the argument rules apply to such a call too', async () => {
    const r = await run(YAML.replace('      callsWithErrors: manual\n', ''));
    expect(sitesOf(r, 'drivers/user.c').filter((s) => s.startsWith('7 '))).toEqual(['7 rewritten call-null: argument NULL becomes 0']);
  });

  it('a body that still reads the old name, or already uses the new one, is manual and unchanged', async () => {
    const r = await run(YAML);
    expect(sitesOf(r, 'drivers/impl.c')).toContainEqual('1 manual param-renamed-used: impl_bind() still uses data (line 5: return use(data, flags);), which the new parameter flags replaces: convert it by hand');
    expect(after(r, 'drivers/impl.c')).toBeUndefined();
    const clash = { ...FILES, 'drivers/impl.c': FILES['drivers/impl.c']!.replace('use(data, flags)', 'use(flags)') };
    const r2 = await run(YAML, clash);
    expect(sitesOf(r2, 'drivers/impl.c')).toContainEqual('1 manual name-conflict: impl_bind() already uses the name flags: rename the parameter by hand');
  });

  it('without keepDefine (and remove-define) the define is renamed with its uses; without when: names-edited every changed file loses the include', async () => {
    const r = await run(YAML.replace(', keepDefine: true', '').replace('  - remove-define: { name: OLD_FLAG }\n', '').replace(', when: names-edited', ''));
    expect(after(r, 'include/linux/old.h')).toBe('#define DEMO_FLAG 1\n');
    expect(after(r, 'drivers/other.c')).toBe('int h(struct device *dev)\n{\n\treturn bind(dev, 0);\n}\n');
  });
});

describe('kit options: other new forms, calls through a pointer of unknown type', () => {
  const files = {
    ...FILES,
    'drivers/unk.c': 'int u(struct thing *t)\n{\n\treturn t->ops->bind(t->dev, NULL);\n}\n',
    'drivers/u32.c': 'static int u32_bind(struct device *dev, u32 flags)\n{\n\treturn 0;\n}\nstatic const struct demo_ops u_ops = { .bind = u32_bind };\n',
  };

  it('alsoNew: a definition with one of those types is already converted; without it, it is not of the old form', async () => {
    const r = await run(YAML.replaceAll("          doc: DEMO_* flags, or 0\n", "          doc: DEMO_* flags, or 0\n          alsoNew: [u32]\n"), files);
    expect(sitesOf(r, 'drivers/u32.c')[0]).toBe('1 unchanged already-new: u32_bind() already has the new form (void * -> unsigned int flags)');
    const r2 = await run(YAML, files);
    expect(sitesOf(r2, 'drivers/u32.c')[0]).toBe('1 manual signature-unexpected: u32_bind(): parameter 2 is u32, not void *; check by hand');
  });

  it('callsThroughUnknown: rewrite applies the rules to t->ops->bind(...); by default it is manual', async () => {
    const r = await run(YAML.replace('      reportReads: true\n', '      reportReads: true\n      callsThroughUnknown: rewrite\n'), files);
    expect(after(r, 'drivers/unk.c')).toBe('int u(struct thing *t)\n{\n\treturn t->ops->bind(t->dev, 0);\n}\n');
    const r2 = await run(YAML, files);
    expect(sitesOf(r2, 'drivers/unk.c')).toEqual(['3 manual call-through-unknown: ->bind() through a pointer whose type is not visible here: check by hand']);
  });
});

describe('the loader checks the options', () => {
  const fails = (yaml: string) => {
    try {
      parseMigration(yaml, 'bad.yaml');
    } catch (e) {
      return (e as MigrationFileError).message;
    }
    return 'loaded';
  };

  it('a code table names kit codes, and codes that have words', () => {
    expect(fails(YAML.replace('codes: { signature: sig,', 'codes: { no-such-code: sig,'))).toMatch(/changes\[0\]\.function\.codes\.no-such-code: 'no-such-code' is not a code the kit reports/);
    expect(fails(YAML.replace('call-args: call-null }', 'call-args: unworded }'))).toMatch(/changes\[0\]\.function\.codes\.call-args: no message for code 'unworded'/);
    expect(fails(YAML)).toBe('loaded');
  });

  it('doc only with retype, reportReads only with retype: true, keepDefine never for a member', () => {
    expect(fails(`${HEAD}changes:\n  - function: { name: f, params: [{ index: 0, action: remove, doc: words }] }\n`)).toMatch(/params\[0\]\.doc: only for action retype/);
    expect(fails(`${HEAD}changes:\n  - member: { struct: s, member: m, moveTo: n, reportReads: true }\n`)).toMatch(/reportReads: only with `retype: true`/);
    expect(fails(`${HEAD}changes:\n  - rename: { from: a, to: b, kind: member, keepDefine: true }\n`)).toMatch(/keepDefine: a member has no `#define` to keep/);
    expect(fails(`${HEAD}changes:\n  - drop-include: { header: linux/x.h, when: sometimes }\n`)).toMatch(/when: must be one of changed, names-edited/);
    expect(fails(`${HEAD}changes:\n  - member: { struct: s, member: m, moveTo: n, callsThroughUnknown: rewrite }\n`)).toMatch(/callsThroughUnknown: only with `retype: true`/);
    expect(fails(`${HEAD}changes:\n  - function: { name: f, params: [{ index: 0, action: remove, alsoNew: [u32] }] }\n`)).toMatch(/params\[0\]\.alsoNew: only for action retype/);
    expect(fails(`${HEAD}changes:\n  - function: { name: f, params: [{ index: 0, action: retype, to: int, args: { others: step } }] }\n`)).toMatch(/args\.others: only with `extensions`/);
  });
});
