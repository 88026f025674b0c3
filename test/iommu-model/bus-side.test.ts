// The bus models read each side into data, one tree alive at a time: a large
// file's tree before is dead, collected and finalized, before its tree after
// is parsed; a file whose after text is its before text is parsed once; a
// lookup outside the registering file answers, and reports, as it did.
// Checked on the binding's own parses (a FinalizationRegistry on each tree
// the parser returns), not with timing or memory figures.
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tree } from '../../codemods/c/index.js';
import { checkI2cCore } from '../../iommu-model/i2c-core/index.js';
import type { TreeInput } from '../../iommu-model/model-shape.js';
import { checkPlatformBus, WARNING_GONE } from '../../iommu-model/platform-bus/index.js';

const require = createRequire(import.meta.url);
const TreeSitter = require('tree-sitter') as { prototype: { parse: (this: unknown, ...args: unknown[]) => Tree } };

function tree(label: string, files: Record<string, string>): TreeInput {
  return { label, paths: Object.keys(files).sort(), read: (p) => files[p] };
}

/** Every parse: its text, and which earlier parses' trees were still unfinalized when it started. */
interface Parse {
  text: string;
  alive: string[];
}

let parses: Parse[];
let finalized: Set<number>;

const realParse = TreeSitter.prototype.parse;

// Wrapped by hand: a vitest spy would keep every tree it returned (in its
// `mock.results`), which is the very reference under test.
beforeEach(() => {
  parses = [];
  finalized = new Set();
  const registry = new FinalizationRegistry<number>((id) => finalized.add(id));
  TreeSitter.prototype.parse = function (this: unknown, ...args: unknown[]) {
    const alive = parses.filter((_, id) => !finalized.has(id)).map((p) => p.text);
    const id = parses.push({ text: String(args[0]), alive }) - 1;
    const t = realParse.apply(this, args);
    registry.register(t, id);
    return t;
  };
});

afterEach(() => {
  TreeSitter.prototype.parse = realParse;
});

const parsesOf = (text: string) => parses.filter((p) => p.text === text);

/** For each parse, the large files whose trees were still alive when it started (by length): none, in either order of the sides. */
const largeAlive = () => parses.map((p) => p.alive.filter((t) => t.length >= 256 * 1024).map((t) => t.length));

/** `n` platform drivers whose .remove returns int: over 256 Ki characters for n = 1100. */
function platformDrivers(n: number, field: 'remove' | 'remove_new'): string {
  const one = (i: number) => {
    const head = field === 'remove' ? `static int foo${i}_remove` : `static void foo${i}_remove`;
    const ret = field === 'remove' ? '\treturn 0;\n' : '';
    return `${head}(struct platform_device *pdev)\n{\n\tstruct foo *foo = platform_get_drvdata(pdev);\n\n\tclk_disable_unprepare(foo->clk);\n${ret}}\n\nstatic struct platform_driver foo${i}_driver = {\n\t.${field} = foo${i}_remove,\n\t.driver = {\n\t\t.name = "foo${i}",\n\t},\n};\n`;
  };
  return Array.from({ length: n }, (_, i) => one(i)).join('\n');
}

/** `n` i2c drivers whose probe reads `id`, before and after the conversion. */
function i2cDrivers(n: number, converted: boolean): string {
  const one = (i: number) => {
    const head = converted ? `static int foo${i}_probe(struct i2c_client *client)\n{\n\tconst struct i2c_device_id *id = i2c_client_get_device_id(client);\n` : `static int foo${i}_probe(struct i2c_client *client,\n\t\t\tconst struct i2c_device_id *id)\n{\n`;
    return `static const struct i2c_device_id foo${i}_id[] = {\n\t{ "foo${i}", 0 },\n\t{ }\n};\n\n${head}\tstruct foo *foo = devm_kzalloc(&client->dev, sizeof(*foo), GFP_KERNEL);\n\n\tif (!foo)\n\t\treturn -ENOMEM;\n\tfoo->variant = id->driver_data;\n\treturn 0;\n}\n\nstatic struct i2c_driver foo${i}_driver = {\n\t.${converted ? 'probe_new' : 'probe'} = foo${i}_probe,\n\t.id_table = foo${i}_id,\n};\n`;
  };
  return Array.from({ length: n }, (_, i) => one(i)).join('\n');
}

describe('bus models: one tree alive at a time', () => {
  it("platform-bus: each side's tree of the large file is freed before the other side's is parsed", async () => {
    const before = platformDrivers(1100, 'remove');
    const after = platformDrivers(1100, 'remove_new');
    expect(before.length).toBeGreaterThan(256 * 1024);
    const r = await checkPlatformBus({ before: tree('before', { 'drivers/big.c': before }), after: tree('after', { 'drivers/big.c': after }), declared: [WARNING_GONE] });
    expect(r.summary).toMatchObject({ equivalent: 1100, differs: 0, unknown: 0 });
    expect(parsesOf(before)).toHaveLength(1);
    expect(parsesOf(after)).toHaveLength(1);
    expect(largeAlive()).toEqual([[], []]);
  });

  it("i2c-core: the same, the after probes read for the before probes' `id`", async () => {
    const before = i2cDrivers(700, false);
    const after = i2cDrivers(700, true);
    expect(before.length).toBeGreaterThan(256 * 1024);
    const r = await checkI2cCore({ before: tree('before', { 'drivers/big.c': before }), after: tree('after', { 'drivers/big.c': after }), declared: [] });
    expect(r.summary).toMatchObject({ equivalent: 700, differs: 0, unknown: 0 });
    expect(parsesOf(before)).toHaveLength(1);
    expect(parsesOf(after)).toHaveLength(1);
    expect(largeAlive()).toEqual([[], []]);
  });

  it('a file whose after text is its before text is parsed once; a changed one once per side', async () => {
    const changed = platformDrivers(3, 'remove');
    const same = platformDrivers(2, 'remove').replace(/foo(\d)/g, 'bar$1');
    const r = await checkPlatformBus({ before: tree('before', { 'drivers/a.c': changed, 'drivers/b.c': same }), after: tree('after', { 'drivers/a.c': platformDrivers(3, 'remove_new'), 'drivers/b.c': same }), declared: [WARNING_GONE] });
    expect(r.summary).toMatchObject({ equivalent: 5, differs: 0, unknown: 0 });
    expect(parsesOf(changed)).toHaveLength(1);
    expect(parsesOf(same)).toHaveLength(1);
    expect(parses).toHaveLength(3);
    // i2c: an unconverted probe (two parameters) after is the one before: no second parse for the after side's reading of `id`.
    parses = [];
    const probes = i2cDrivers(2, false);
    const q = await checkI2cCore({ before: tree('before', { 'drivers/a.c': i2cDrivers(3, false).replace(/foo(\d)/g, 'baz$1'), 'drivers/b.c': probes }), after: tree('after', { 'drivers/a.c': i2cDrivers(3, true).replace(/foo(\d)/g, 'baz$1'), 'drivers/b.c': probes }), declared: [] });
    expect(q.summary).toMatchObject({ equivalent: 5, differs: 0, unknown: 0 });
    expect(parsesOf(probes)).toHaveLength(1);
    expect(parses).toHaveLength(3);
  });

  it('a definition in another file is looked up from the before definition\'s file; one the after tree lacks is reported, as before', async () => {
    const reg = (field: 'remove' | 'remove_new') => `\nstatic struct platform_driver foo_driver = {\n\t.${field} = x_remove,\n};\n`;
    const before = tree('b', { 'a/reg.c': reg('remove'), 'b/lib.c': 'static int x_remove(struct platform_device *p)\n{\n\treturn 0;\n}\n' });
    // The after tree lists no b/lib.c (it reads as missing); x_remove() moved to c/other.c.
    const after = tree('a', { 'a/reg.c': reg('remove_new'), 'c/other.c': 'static void x_remove(struct platform_device *p)\n{\n}\n' });
    const r = await checkPlatformBus({ before, after, declared: [] });
    expect(r.problems).toEqual([{ path: 'b/lib.c', line: 0, severity: 'error', code: 'unreadable', message: 'after tree (a): the file is missing or not valid UTF-8' }]);
    expect(r.sites).toMatchObject([{ path: 'b/lib.c', line: 1, function: 'x_remove', verdict: 'equivalent', reason: 'the same cleanup and the same core outcome on every path' }]);
  });
});
