// The platform bus model on small before/after trees held in memory: a
// plain conversion, `return 0;` → `return;`, the Coccinelle trap where an
// early `return 0;` became `{}`, error returns, an undeclared change.
import { describe, expect, it } from 'vitest';
import { checkPlatformBus, platformBusModel, WARNING_GONE } from '../../iommu-model/platform-bus/index.js';
import type { TreeInput } from '../../iommu-model/model-shape.js';

function tree(label: string, files: Record<string, string>): TreeInput {
  return { label, paths: Object.keys(files).sort(), read: (p) => files[p] };
}

const driver = (field: 'remove' | 'remove_new', fn = 'foo_remove') =>
  `\nstatic struct platform_driver foo_driver = {\n\t.probe = foo_probe,\n\t.${field} = ${fn},\n\t.driver = {\n\t\t.name = "foo",\n\t},\n};\nmodule_platform_driver(foo_driver);\n`;

async function run(beforeC: string, afterC: string, declared: string[] = [WARNING_GONE]) {
  return await checkPlatformBus({ before: tree('before', { 'drivers/foo.c': beforeC }), after: tree('after', { 'drivers/foo.c': afterC }), declared });
}

const PLAIN_BEFORE = `static int foo_remove(struct platform_device *pdev)
{
	struct foo *foo = platform_get_drvdata(pdev);

	clk_disable_unprepare(foo->clk);
	return 0;
}
${driver('remove')}`;

const PLAIN_AFTER = `static void foo_remove(struct platform_device *pdev)
{
	struct foo *foo = platform_get_drvdata(pdev);

	clk_disable_unprepare(foo->clk);
}
${driver('remove_new')}`;

const GUARD_BEFORE = `static int foo_remove(struct platform_device *pdev)
{
	struct foo *foo = platform_get_drvdata(pdev);

	if (!foo)
		return 0;
	clk_disable_unprepare(foo->clk);
	return 0;
}
${driver('remove')}`;

describe('platform-bus model', () => {
  it('has the MigrationModel shape', async () => {
    expect(platformBusModel.name).toBe('platform-bus');
    expect(platformBusModel.description).toMatch(/platform_remove/);
    expect(typeof platformBusModel.check).toBe('function');
  });

  it('a plain conversion is equivalent, with nothing to declare (the only path returns 0)', async () => {
    const r = await run(PLAIN_BEFORE, PLAIN_AFTER);
    expect(r.sites).toHaveLength(1);
    expect(r.sites[0]).toMatchObject({ path: 'drivers/foo.c', line: 1, function: 'foo_remove', verdict: 'equivalent', declared: false, runs: 1 });
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('`return foo_stop(foo);` → `foo_stop(foo);` removes a possible warning: equivalent, declared', async () => {
    const before = `static int foo_remove(struct platform_device *pdev)\n{\n\tstruct foo *foo = platform_get_drvdata(pdev);\n\n\treturn foo_stop(foo);\n}\n${driver('remove')}`;
    const after = `static void foo_remove(struct platform_device *pdev)\n{\n\tstruct foo *foo = platform_get_drvdata(pdev);\n\n\tfoo_stop(foo);\n}\n${driver('remove_new')}`;
    const r = await run(before, after);
    expect(r.sites[0]).toMatchObject({ verdict: 'equivalent', declared: true, declaredChanges: [WARNING_GONE], runs: 1 });
    expect(r.sites[0]!.reason).toContain('only the core\'s warning');
    expect(r.ok).toBe(true);
  });

  it('the same warning change without the declaration fails', async () => {
    const before = `static int foo_remove(struct platform_device *pdev)\n{\n\tint ret;\n\n\tret = foo_stop(pdev);\n\treturn ret;\n}\n${driver('remove')}`;
    const after = `static void foo_remove(struct platform_device *pdev)\n{\n\tfoo_stop(pdev);\n}\n${driver('remove_new')}`;
    const declaredRun = await run(before, after);
    expect(declaredRun.sites[0]).toMatchObject({ verdict: 'equivalent', declared: true });
    const r = await run(before, after, []);
    expect(r.sites[0]).toMatchObject({ verdict: 'differs', declared: false });
    expect(r.sites[0]!.reason).toContain(`does not declare ${WARNING_GONE}`);
    expect(r.ok).toBe(false);
  });

  it('an early `return 0;` converted to `return;` is equivalent on both paths', async () => {
    const after = `static void foo_remove(struct platform_device *pdev)\n{\n\tstruct foo *foo = platform_get_drvdata(pdev);\n\n\tif (!foo)\n\t\treturn;\n\tclk_disable_unprepare(foo->clk);\n}\n${driver('remove_new')}`;
    const r = await run(GUARD_BEFORE, after);
    expect(r.sites[0]).toMatchObject({ verdict: 'equivalent', runs: 2 });
    expect(r.ok).toBe(true);
  });

  it('the Coccinelle trap: `return 0;` became `{}` and the guard falls through to the cleanup: differs', async () => {
    const after = `static void foo_remove(struct platform_device *pdev)\n{\n\tstruct foo *foo = platform_get_drvdata(pdev);\n\n\tif (!foo)\n\t\t{}\n\tclk_disable_unprepare(foo->clk);\n}\n${driver('remove_new')}`;
    const r = await run(GUARD_BEFORE, after);
    expect(r.sites[0]).toMatchObject({ verdict: 'differs', declared: false });
    expect(r.sites[0]!.environment).toContain('`!foo` true');
    expect(r.sites[0]!.reason).toContain('clk_disable_unprepare(foo->clk);` runs where it did not run before');
    expect(r.ok).toBe(false);
  });

  it('a dropped cleanup differs too', async () => {
    const after = `static void foo_remove(struct platform_device *pdev)\n{\n\tstruct foo *foo = platform_get_drvdata(pdev);\n\n\tif (!foo)\n\t\treturn;\n}\n${driver('remove_new')}`;
    const r = await run(GUARD_BEFORE, after);
    expect(r.sites[0]).toMatchObject({ verdict: 'differs' });
    expect(r.sites[0]!.reason).toContain('no longer runs');
  });

  it('a `return -EBUSY` path: says what the core did with it, and the conversion is equivalent, declared', async () => {
    const before = `static int foo_remove(struct platform_device *pdev)\n{\n\tstruct foo *foo = platform_get_drvdata(pdev);\n\n\tif (foo->busy)\n\t\treturn -EBUSY;\n\tfoo_teardown(foo);\n\treturn 0;\n}\n${driver('remove')}`;
    const after = `static void foo_remove(struct platform_device *pdev)\n{\n\tstruct foo *foo = platform_get_drvdata(pdev);\n\n\tif (foo->busy)\n\t\treturn;\n\tfoo_teardown(foo);\n}\n${driver('remove_new')}`;
    const r = await run(before, after);
    const s = r.sites[0]!;
    expect(s).toMatchObject({ verdict: 'equivalent', declared: true, declaredChanges: [WARNING_GONE], runs: 2 });
    expect(s.details?.errorReturns).toEqual([
      'returns -EBUSY at line 6: the core printed a warning and ignored the value: the device was unbound anyway, and the cleanup after this early return was skipped',
    ]);
    expect(s.reason).toContain('returns -EBUSY at line 6');
  });

  it('an unconverted function is equivalent (the same code) and still lists what its error returns do', async () => {
    const before = `static int foo_remove(struct platform_device *pdev)\n{\n\tif (foo_busy(pdev))\n\t\treturn -EBUSY;\n\tfoo_teardown(pdev);\n\treturn 0;\n}\n${driver('remove')}`;
    const r = await run(before, before, []);
    expect(r.sites[0]).toMatchObject({ verdict: 'equivalent', declared: false });
    expect(r.sites[0]!.reason).toMatch(/^the same code \(unconverted: still int, still \.remove\); returns -EBUSY at line 4: the core printed a warning/);
    expect(r.ok).toBe(true);
  });

  it('an unconverted function says what the core did with its value where the walk stops, and when it only returns 0', async () => {
    // drivers/dma/milbeaut-hdmac.c: a return inside list_for_each_entry(); the migration leaves it for a person.
    const before = `static int foo_remove(struct platform_device *pdev)\n{\n\tstruct foo_chan *c;\n\tint ret;\n\n\tlist_for_each_entry(c, &foo->channels, node) {\n\t\tret = dmaengine_terminate_sync(&c->chan);\n\t\tif (ret)\n\t\t\treturn ret;\n\t}\n\tfoo_teardown(pdev);\n\treturn 0;\n}\n${driver('remove')}`;
    const s = (await run(before, before, [])).sites[0]!;
    expect(s).toMatchObject({ verdict: 'equivalent' });
    expect(s.details?.errorReturns).toEqual([
      "its return paths are not all followed (a return or goto inside `list_for_each_entry(c,&foo->channels,node)`, a macro the parser reads as a statement missing its `;` (an iterator such as list_for_each_entry()) at line 6): whatever it returns there, a non-zero value printed the core's warning and was ignored, and the device was unbound anyway",
    ]);
    expect((await run(PLAIN_BEFORE, PLAIN_BEFORE, [])).sites[0]!.reason).toBe('the same code (unconverted: still int, still .remove); every path returns 0: the core never warned');
  });

  it('`ret = 0; ... return ret;` is followed along the path; a goto to a later label is followed', async () => {
    const before = `static int foo_remove(struct platform_device *pdev)\n{\n\tint ret = 0;\n\n\tif (!pdev->dev.of_node)\n\t\tgoto out;\n\tfoo_teardown(pdev);\nout:\n\tpm_runtime_disable(&pdev->dev);\n\treturn ret;\n}\n${driver('remove')}`;
    const after = `static void foo_remove(struct platform_device *pdev)\n{\n\tif (!pdev->dev.of_node)\n\t\tgoto out;\n\tfoo_teardown(pdev);\nout:\n\tpm_runtime_disable(&pdev->dev);\n}\n${driver('remove_new')}`;
    const r = await run(before, after, []);
    expect(r.sites[0]).toMatchObject({ verdict: 'equivalent', declared: false, runs: 2 });
    const broken = after.replace('\t\tgoto out;\n', '\t\t;\n');
    expect((await run(before, broken, [])).sites[0]).toMatchObject({ verdict: 'differs' });
  });

  it('a return inside a loop is unknown; a function registered by two drivers is one site; __exit_p and & are read', async () => {
    const loop = `static int foo_remove(struct platform_device *pdev)\n{\n\tint i;\n\n\tfor (i = 0; i < 4; i++)\n\t\tif (foo_stop(pdev, i))\n\t\t\treturn -EIO;\n\treturn 0;\n}\n`;
    const drivers = `static struct platform_driver a_driver = {\n\t.remove = __exit_p(foo_remove),\n};\nstatic struct platform_driver b_driver = {\n\t.remove = &foo_remove,\n};\n`;
    const after = loop.replace('static int', 'static void').replace('-EIO', '').replace('\treturn 0;\n', '');
    const r = await run(loop + drivers, after + drivers.replace(/\.remove =/g, '.remove_new ='));
    expect(r.sites).toHaveLength(1);
    expect(r.sites[0]!.details?.drivers).toEqual(['drivers/foo.c: a_driver.remove', 'drivers/foo.c: b_driver.remove']);
    expect(r.sites[0]).toMatchObject({ verdict: 'unknown' });
    expect(r.sites[0]!.reason).toContain('a return or goto inside a for');
  });

  it('a void function still registered as .remove is an error problem', async () => {
    const after = PLAIN_AFTER.replace('.remove_new =', '.remove =');
    const r = await run(PLAIN_BEFORE, after);
    expect(r.problems).toMatchObject([{ code: 'callback-type', severity: 'error', line: 1 }]);
    expect(r.ok).toBe(false);
  });

  it('a function the after tree no longer defines is unknown; an unreadable file is an error', async () => {
    const r = await run(PLAIN_BEFORE, driver('remove_new'));
    expect(r.sites[0]).toMatchObject({ verdict: 'unknown', reason: "no definition of foo_remove() among the after tree's files" });
    const gone = await checkPlatformBus({ before: tree('b', { 'drivers/foo.c': PLAIN_BEFORE }), after: { label: 'a', paths: ['drivers/foo.c'], read: () => undefined }, declared: [] });
    expect(gone.problems).toContainEqual(expect.objectContaining({ code: 'unreadable', severity: 'error', path: 'drivers/foo.c' }));
    expect(gone.ok).toBe(false);
  });
});
