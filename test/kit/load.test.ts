// The migration file loader: a good file loads with C text kept as written;
// each kind of bad file fails with the file, the 1-based line and the key
// path of what is wrong; the CLI turns that into one line on stderr, exit 2.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundledFile, loadMigrationFile, MigrationFileError, parseMigration, prebuiltSpecName } from '../../codemods/kit/load.js';
import { makeTree, runCli } from '../helpers/cli.js';

const HEADER = `# yaml-language-server: $schema=../../codemods/kit/migration.schema.json
id: demo-void-remove
subject: 'demo: Make remove callbacks return void'
summary: demo_driver.remove returns void
reference: 'commit 0123456789ab ("demo: Make remove return void")'
rationale: |
  The core ignores the value remove returns.

  Make it return void.
`;

const GOOD = `${HEADER}model: platform-bus
declared: [remove-error-ignored]
kconfig:
  x86_64: [DEMO, DEMO_I2C=m]
steps:
  - id: add-new
    subject: 'demo: Add remove_new'
    body: Add the member.
  - id: convert
    subject: 'demo: Convert drivers'
    body: Convert them.
    main: true
changes:
  - member:
      struct: demo_driver
      member: remove
      moveTo: remove_new
      returns: { from: int, to: void, message: the core ignores it }
      params:
        - index: 1
          from: const struct demo_id *
          action: remove
          replacement: 'const struct demo_id *{name} = demo_get_id({0});'
  - function:
      name: demo_bind
      params:
        - index: 2
          from: void *
          action: retype
          to: unsigned int
          name: flags
          args:
            map: { NULL: "0", 0x10: 16 }
            message: 'pass flags instead of {arg}'
      step: convert
  - delete-initializer: { struct: file_operations, member: llseek, value: no_llseek }
  - drop-include: { header: linux/demo.h }
`;

/** Load `text` from a temp file named bad.yaml; returns the error it throws. */
function failure(text: string): MigrationFileError {
  const dir = makeTree({ 'bad.yaml': text });
  try {
    loadMigrationFile(join(dir, 'bad.yaml'), { label: 'bad.yaml' });
  } catch (err) {
    expect(err).toBeInstanceOf(MigrationFileError);
    return err as MigrationFileError;
  }
  throw new Error('the file loaded');
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string, after = 0): number {
  const lines = text.split('\n');
  const i = lines.findIndex((l, n) => n >= after && l.includes(needle));
  if (i < 0) throw new Error(`no line with ${needle}`);
  return i + 1;
}

describe('loadMigrationFile', () => {
  it('loads a good file; C text is kept as written, numbers and booleans are typed', () => {
    const dir = makeTree({ 'good.yaml': GOOD });
    const spec = loadMigrationFile(join(dir, 'good.yaml'));
    expect(spec.id).toBe('demo-void-remove');
    expect(spec.rationale).toBe('The core ignores the value remove returns.\n\nMake it return void.\n');
    expect(spec.steps?.[1]).toEqual({ id: 'convert', subject: 'demo: Convert drivers', body: 'Convert them.', main: true });
    expect(spec.kconfig).toEqual({ x86_64: ['DEMO', 'DEMO_I2C=m'] });
    const member = spec.changes[0]!;
    expect(member).toEqual({
      member: {
        struct: 'demo_driver',
        member: 'remove',
        moveTo: 'remove_new',
        returns: { from: 'int', to: 'void', message: 'the core ignores it' },
        params: [{ index: 1, from: 'const struct demo_id *', action: 'remove', replacement: 'const struct demo_id *{name} = demo_get_id({0});' }],
      },
    });
    // YAML 1.2 would read NULL as null and 0x10 as sixteen: the loader reads C.
    const fn = spec.changes[1]!;
    expect('function' in fn && fn.function.params?.[0]?.args?.map).toEqual({ NULL: '0', '0x10': '16' });
    expect(spec.changes[2]).toEqual({ 'delete-initializer': { struct: 'file_operations', member: 'llseek', value: 'no_llseek' } });
  });

  it('YAML syntax error: file:line and yaml\'s words, one line', () => {
    const text = `${HEADER}changes:\n  - rename: { from: a, to: b\n  - rename: { from: c, to: d }\n`;
    const e = failure(text);
    expect(e.file).toBe('bad.yaml');
    expect(e.message.split('\n')).toHaveLength(1);
    expect(e.message).toMatch(/^bad\.yaml:\d+: \S/);
    // yaml notices the unclosed flow map at the next item or at the end.
    expect(e.line).toBeGreaterThanOrEqual(lineOf(text, 'from: a'));
    expect(e.message).toContain('}');
  });

  it('a tab in indentation is a syntax error at its line', () => {
    const text = `${HEADER}changes:\n  - rename:\n\t\tfrom: a\n`;
    const e = failure(text);
    expect(e.line).toBe(lineOf(text, '\tfrom: a'));
  });

  it('unknown key: names the key, at its line, and lists the known ones', () => {
    const text = `${HEADER}changes:\n  - rename:\n      from: a\n      too: b\n`;
    const e = failure(text);
    expect(e.line).toBe(lineOf(text, 'too: b'));
    expect(e.keyPath).toBe('changes[0].rename.too');
    expect(e.message).toBe(`bad.yaml:${e.line}: changes[0].rename.too: unknown key (known here: from, to, kind, struct, keepDefine, group, codes, step)`);
  });

  it('unknown kind of change: names the key', () => {
    const text = `${HEADER}changes:\n  - rename: { from: a, to: b }\n  - renmae: { from: c, to: d }\n`;
    const e = failure(text);
    expect(e.line).toBe(lineOf(text, 'renmae'));
    expect(e.keyPath).toBe('changes[1].renmae');
    expect(e.reason).toMatch(/^unknown key \(known here: rename, function, member, delete-initializer, add-define, remove-define, drop-include\)$/);
  });

  it('two kinds in one change item', () => {
    const text = `${HEADER}changes:\n  - rename: { from: a, to: b }\n    remove-define: { name: X }\n`;
    const e = failure(text);
    expect(e.line).toBe(lineOf(text, '- rename'));
    expect(e.keyPath).toBe('changes[0]');
    expect(e.reason).toBe('a change has exactly one key, this one has rename, remove-define');
  });

  it('wrong enum value: the example of the brief, line and path exact', () => {
    const text = `${GOOD}  - member:\n      struct: s\n      member: m\n      params:\n        - index: 0\n          action: replace\n`;
    const e = failure(text);
    expect(e.line).toBe(lineOf(text, 'action: replace'));
    expect(e.message).toBe(`bad.yaml:${e.line}: changes[4].member.params[0].action: must be one of retype, remove, add`);
  });

  it('wrong type and pattern', () => {
    const idText = HEADER.replace('id: demo-void-remove', 'id: Demo_Void') + 'changes:\n  - remove-define: { name: X }\n';
    const id = failure(idText);
    expect([id.line, id.keyPath]).toEqual([lineOf(idText, 'id: Demo_Void'), 'id']);
    expect(id.reason).toContain("kebab-case");
    const idx = `${HEADER}changes:\n  - function:\n      name: f\n      params:\n        - { index: two, action: remove }\n`;
    const e = failure(idx);
    expect([e.line, e.keyPath, e.reason]).toEqual([lineOf(idx, 'index: two'), 'changes[0].function.params[0].index', 'must be a whole number']);
  });

  it('missing required key: at the line of the mapping that lacks it', () => {
    const text = `${HEADER}changes:\n  - add-define:\n      name: FLAG\n      value: BIT(0)\n      after: OTHER\n`;
    const e = failure(text);
    expect(e.line).toBe(lineOf(text, 'add-define'));
    expect(e.keyPath).toBe('changes[0].add-define');
    expect(e.reason).toBe("missing required key 'file'");
    const top = failure(HEADER.replace(/^reference:.*\n/m, '') + 'changes: [{remove-define: {name: X}}]\n');
    expect([top.line, top.keyPath, top.reason]).toEqual([2, '', "missing required key 'reference'"]);
  });

  it('a change naming a step that does not exist', () => {
    const text = GOOD.replace('      step: convert', '      step: convrt');
    const e = failure(text);
    expect(e.line).toBe(lineOf(text, 'step: convrt'));
    expect(e.keyPath).toBe('changes[1].function.step');
    expect(e.reason).toBe("no step 'convrt' in steps (known: add-new, convert)");
    const none = `${HEADER}changes:\n  - remove-define: { name: X, step: cleanup }\n`;
    expect(failure(none).reason).toBe("no step 'cleanup': the file has no `steps`");
  });

  it('duplicate keys, at the second one, with the first one\'s line', () => {
    const text = `${HEADER}changes:\n  - rename:\n      from: a\n      to: b\n      from: c\n`;
    const e = failure(text);
    const first = lineOf(text, 'from: a');
    expect(e.line).toBe(lineOf(text, 'from: c'));
    expect(e.keyPath).toBe('changes[0].rename.from');
    expect(e.reason).toBe(`duplicate key (first at line ${first})`);
    const again = `${HEADER}id: again\nchanges: []\n`;
    const top = failure(again);
    expect([top.line, top.keyPath, top.reason]).toEqual([lineOf(again, 'id: again'), 'id', `duplicate key (first at line ${lineOf(again, 'id: demo')})`]);
  });

  it.each([
    ['retype needs to', { index: 0, action: 'retype' }, '', "action retype needs 'to' (the new type)"],
    ['add needs name', { index: 0, action: 'add', to: 'int' }, '', "action add needs 'name' (the new parameter's name)"],
    ['add needs args.value', { index: 0, action: 'add', to: 'int', name: 'x' }, '', "action add needs 'args.value' (what callers pass)"],
    ['replacement only with remove', { index: 0, action: 'retype', to: 'int', replacement: 'int x = 0;' }, '.replacement', 'only for action remove'],
    ['map only with retype', { index: 0, action: 'remove', args: { map: { a: 'b' } } }, '.args.map', 'only for action retype, not remove'],
    ['to not with remove', { index: 0, action: 'remove', to: 'int' }, '.to', 'only for action retype or add'],
  ])('parameter rule: %s', (_name, param, suffix, reason) => {
    const text = `${HEADER}changes:\n  - function:\n      name: f\n      params:\n        - ${JSON.stringify(param)}\n`;
    const e = failure(text);
    expect(e.line).toBe(lineOf(text, '"index"'));
    expect(e.keyPath).toBe(`changes[0].function.params[0]${suffix}`);
    expect(e.reason).toContain(reason);
  });

  it('moveTo must name another member', () => {
    const text = `${HEADER}changes:\n  - member:\n      struct: demo_driver\n      member: remove\n      moveTo: remove\n`;
    const e = failure(text);
    expect([e.line, e.keyPath]).toEqual([lineOf(text, 'moveTo'), 'changes[0].member.moveTo']);
  });

  it('extensions only for bundled migrations', () => {
    const text = `${HEADER}extensions: [sva-flags]\nchanges: []\n`;
    const e = failure(text);
    expect([e.line, e.keyPath]).toEqual([lineOf(text, 'extensions'), 'extensions']);
    const dir = makeTree({ 'm.yaml': text });
    expect(loadMigrationFile(join(dir, 'm.yaml'), { allowExtensions: true }).extensions).toEqual(['sva-flags']);
  });

  it('reports the schema problem that comes first in the file, not the first the validator reaches', () => {
    // The schema lists kconfig before changes; the file has them the other way round.
    const text = `${HEADER}changes:\n  - rename: { from: a, to: b, kind: enum }\nkconfig:\n  arm64: [DEMO=y]\n`;
    const e = failure(text);
    expect([e.line, e.keyPath]).toEqual([lineOf(text, 'kind: enum'), 'changes[0].rename.kind']);
    // Likewise the rules the schema cannot say (checked once the schema
    // accepts the file): `declared` without a model is checked first, but is
    // written last.
    const rules = `${HEADER}changes:\n  - member: { struct: s, member: m, moveTo: m }\ndeclared: [x]\n`;
    expect(failure(rules).keyPath).toBe('changes[0].member.moveTo');
    expect(failure(rules.replace('moveTo: m', 'moveTo: n')).keyPath).toBe('declared');
  });

  it('empty file, unreadable file, a list instead of a mapping', () => {
    expect(failure('').message).toMatch(/^bad\.yaml:1: empty file/);
    expect(failure('- a\n- b\n').message).toBe('bad.yaml:1: must be a mapping (key: value)');
    expect(() => loadMigrationFile('/nonexistent/x.yaml')).toThrow(/^\/nonexistent\/x\.yaml: cannot read it \(ENOENT\)$/);
    const dir = makeTree({ 'latin1.yaml': Buffer.from([0x69, 0x64, 0x3a, 0x20, 0xe9, 0x0a]) });
    expect(() => loadMigrationFile(join(dir, 'latin1.yaml'), { label: 'latin1.yaml' })).toThrow('latin1.yaml: not valid UTF-8');
  });

  it('parseMigration names the file it is given', () => {
    expect(() => parseMigration('id: x\n', 'inline.yaml')).toThrow(/^inline\.yaml:1: missing required key 'subject'$/);
  });
});

describe('kmigrate with a migration file', () => {
  it('exits 2 on a bad file: one line, file:line and key path on stderr, no stack trace', async () => {
    const dir = makeTree({ 'include/linux/demo.h': '#define DEMO 1\n', 'change.yaml': GOOD.replace('action: retype', 'action: retyp') });
    const r = await runCli(['run', './change.yaml', '-C', '.'], dir);
    const line = lineOf(GOOD, 'action: retype');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`kmigrate: ./change.yaml:${line}: changes[1].function.params[0].action: must be one of retype, remove, add\n`);
  });

  it.each(['check', 'format-patch'])('%s takes a migration file too, with the same error', async (command) => {
    const dir = makeTree({ 'include/linux/demo.h': '#define DEMO 1\n', 'm/migration.yaml': `${HEADER}changes: [{nope: {}}]\n` });
    const r = await runCli([command, 'm', '-C', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`kmigrate: m/migration.yaml:${lineOf(HEADER, 'rationale') + 4}: changes[0].nope: unknown key (known here: rename, function, member, delete-initializer, add-define, remove-define, drop-include)\n`);
  });

  it('exits 2 on a missing file, a folder without migration.yaml, and an unknown id', async () => {
    const dir = makeTree({ 'empty/README': 'x\n', 'notes.txt': 'x\n' });
    const cases: [string, string][] = [
      ['./missing.yaml', 'kmigrate: ./missing.yaml: no such migration file or folder\n'],
      ['empty', 'kmigrate: empty: folder has no migration.yaml\n'],
      ['notes.txt', 'kmigrate: notes.txt: not a migration file (.yaml or .yml), nor a bundled codemod id\n'],
    ];
    for (const [arg, stderr] of cases) {
      const r = await runCli(['run', arg, '-C', '.'], dir);
      expect([r.code, r.stderr]).toEqual([2, stderr]);
    }
    const unknown = await runCli(['run', 'no-such-codemod'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^kmigrate: unknown codemod 'no-such-codemod' \(known: iommu-sva-bind-flags[,;]/);
  });

  it('list still lists the bundled codemods', async () => {
    const r = await runCli(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^iommu-sva-bind-flags\n {2}iommu\/sva: /);
  });

  it('a file is read relative to the working directory, not the tree', async () => {
    const dir = makeTree({ 'tree/include/linux/demo.h': '#define DEMO 1\n' });
    writeFileSync(join(dir, 'bad.yml'), 'id: x\n');
    const r = await runCli(['run', 'bad.yml', '-C', 'tree'], dir);
    expect([r.code, r.stderr]).toEqual([2, "kmigrate: bad.yml:1: missing required key 'subject'\n"]);
  });
});

describe('the spec npm run build stores for a bundled file', () => {
  const opts = { allowExtensions: true, knownExtensions: ['x'] };

  it('is used only for the exact bytes and options it was made from', () => {
    const dir = makeTree({ 'm.yaml': GOOD });
    const path = join(dir, 'm.yaml');
    const bytes = readFileSync(path);
    const name = prebuiltSpecName(bytes, opts);
    expect(name).toMatch(/^migration\.spec\.[0-9a-f]{16}\.json$/);
    expect(prebuiltSpecName(Buffer.concat([bytes, Buffer.from('\n')]), opts)).not.toBe(name);
    expect(prebuiltSpecName(bytes, { allowExtensions: false })).not.toBe(name);
    // A stored spec that differs from the file's, to see which one is read.
    const stored = { ...loadMigrationFile(path, opts), summary: 'from the stored spec' };
    writeFileSync(join(dir, name), JSON.stringify(stored));
    const at = pathToFileURL(`${dir}/`);
    expect(loadBundledFile(path, opts, at).summary).toBe('from the stored spec');
    // The file edited after the build: its own text is read, the stale spec never.
    writeFileSync(path, GOOD.replace('summary: demo_driver.remove returns void', 'summary: edited'));
    expect(loadBundledFile(path, opts, at).summary).toBe('edited');
  });

  it('without one, the file is read, parsed and validated as any other', () => {
    const dir = makeTree({ 'm.yaml': 'id: x\n' });
    expect(() => loadBundledFile(join(dir, 'm.yaml'), opts, pathToFileURL(`${dir}/`))).toThrow(MigrationFileError);
  });
});
