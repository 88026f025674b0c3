// The i2c core model on small before/after trees held in memory: the
// `i2c_client_get_device_id()` replacement, wrong replacements, a probe
// that never read `id`, one probe registered by two drivers.
import { describe, expect, it } from 'vitest';
import { checkI2cCore, i2cCoreModel, sameId } from '../../iommu-model/i2c-core/index.js';
import type { TreeInput } from '../../iommu-model/model-shape.js';

function tree(label: string, files: Record<string, string>): TreeInput {
  return { label, paths: Object.keys(files).sort(), read: (p) => files[p] };
}

const ids = `static const struct i2c_device_id foo_id[] = {\n\t{ "foo", 0 },\n\t{ "foo2", 1 },\n\t{ }\n};\n`;
const driver = (field: 'probe' | 'probe_new', table = 'foo_id', variable = 'foo_driver') =>
  `\nstatic struct i2c_driver ${variable} = {\n\t.driver = {\n\t\t.name = "foo",\n\t},\n\t.${field} = foo_probe,\n\t.id_table = ${table},\n};\n`;

const BEFORE = `${ids}
static int foo_probe(struct i2c_client *client,
		     const struct i2c_device_id *id)
{
	struct foo *foo;

	foo = devm_kzalloc(&client->dev, sizeof(*foo), GFP_KERNEL);
	if (!foo)
		return -ENOMEM;
	foo->variant = id->driver_data;
	return foo_register(foo);
}
${driver('probe')}`;

const afterWith = (decl: string, field: 'probe' | 'probe_new' = 'probe_new', table = 'foo_id') => `${ids}
static int foo_probe(struct i2c_client *client)
{
	${decl}
	struct foo *foo;

	foo = devm_kzalloc(&client->dev, sizeof(*foo), GFP_KERNEL);
	if (!foo)
		return -ENOMEM;
	foo->variant = id->driver_data;
	return foo_register(foo);
}
${driver(field, table)}`;

async function run(beforeC: string, afterC: string) {
  return await checkI2cCore({ before: tree('before', { 'drivers/foo.c': beforeC }), after: tree('after', { 'drivers/foo.c': afterC }), declared: [] });
}

describe('i2c-core model', () => {
  it('has the MigrationModel shape', async () => {
    expect(i2cCoreModel.name).toBe('i2c-core');
    expect(i2cCoreModel.description).toMatch(/i2c_client_get_device_id/);
  });

  it('`const struct i2c_device_id *id = i2c_client_get_device_id(client);` is equivalent', async () => {
    const r = await run(BEFORE, afterWith('const struct i2c_device_id *id = i2c_client_get_device_id(client);'));
    expect(r.sites).toHaveLength(1);
    expect(r.sites[0]).toMatchObject({ path: 'drivers/foo.c', line: 7, function: 'foo_probe', verdict: 'equivalent', declared: false, runs: 1 });
    expect(r.sites[0]!.reason).toMatch(/^`id` is i2c_match_id\(<the bound driver's id_table>, client\) before and after; the rest of the body is unchanged$/);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('an explicit i2c_match_id(foo_id, client) is equivalent; another table or NULL differs', async () => {
    expect((await run(BEFORE, afterWith('const struct i2c_device_id *id = i2c_match_id(foo_id, client);'))).sites[0]).toMatchObject({ verdict: 'equivalent' });
    const other = (await run(BEFORE, afterWith('const struct i2c_device_id *id = i2c_match_id(bar_id, client);'))).sites[0]!;
    expect(other).toMatchObject({ verdict: 'differs', before: 'i2c_match_id(foo_id, client)', after: 'i2c_match_id(bar_id, client)' });
    const nul = await run(BEFORE, afterWith('const struct i2c_device_id *id = NULL;'));
    expect(nul.sites[0]).toMatchObject({ verdict: 'differs', after: 'NULL' });
    expect(nul.sites[0]!.reason).toContain('before the core passed i2c_match_id(foo_id, client), after it is NULL');
    expect(nul.ok).toBe(false);
  });

  it('a driver without an id_table: NULL after is the same as i2c_match_id(NULL, client) before', async () => {
    const before = BEFORE.replace('\t.id_table = foo_id,\n', '');
    const after = afterWith('const struct i2c_device_id *id = NULL;').replace('\t.id_table = foo_id,\n', '');
    expect((await run(before, after)).sites[0]).toMatchObject({ verdict: 'equivalent' });
    expect(sameId({ kind: 'match', table: null }, { kind: 'null' })).toBe(true);
  });

  it('a value the model cannot name is unknown; reading an undeclared id is unknown', async () => {
    expect((await run(BEFORE, afterWith('const struct i2c_device_id *id = foo_lookup(client);'))).sites[0]).toMatchObject({ verdict: 'unknown' });
    const r = await run(BEFORE, afterWith(''));
    expect(r.sites[0]).toMatchObject({ verdict: 'unknown' });
    expect(r.sites[0]!.after).toContain('`id` is read but not declared');
  });

  it('a body changed beyond the id declaration is unknown, with where it changed', async () => {
    const after = afterWith('const struct i2c_device_id *id = i2c_client_get_device_id(client);').replace('return foo_register(foo);', 'return 0;');
    const r = await run(BEFORE, after);
    expect(r.sites[0]).toMatchObject({ verdict: 'unknown' });
    expect(r.sites[0]!.reason).toContain('the body changed beyond the `id` declaration');
    expect(r.sites[0]!.after).toContain('return 0;');
  });

  it('a probe that never read id: dropping the parameter is equivalent', async () => {
    const before = `static int foo_probe(struct i2c_client *client, const struct i2c_device_id *id)\n{\n\treturn foo_register(client);\n}\n${driver('probe')}`;
    const after = `static int foo_probe(struct i2c_client *client)\n{\n\treturn foo_register(client);\n}\n${driver('probe_new')}`;
    const r = await run(before, after);
    expect(r.sites[0]).toMatchObject({ verdict: 'equivalent', reason: 'the probe never read `id`; the rest of the body is unchanged' });
  });

  it('id used inline as i2c_client_get_device_id(client)->driver_data is equivalent', async () => {
    const after = afterWith('').replace('id->driver_data', 'i2c_client_get_device_id(client)->driver_data');
    expect((await run(BEFORE, after)).sites[0]).toMatchObject({ verdict: 'equivalent' });
  });

  it('one probe registered by two drivers with different tables: equivalent, and the reason says why', async () => {
    const two = (field: 'probe' | 'probe_new') => driver(field, 'foo_id', 'foo_driver') + driver(field, 'bar_id', 'bar_driver');
    const before = BEFORE.replace(driver('probe'), two('probe'));
    const after = afterWith('const struct i2c_device_id *id = i2c_client_get_device_id(client);').replace(driver('probe_new'), two('probe_new'));
    const r = await run(before, after);
    expect(r.sites).toHaveLength(1);
    expect(r.sites[0]).toMatchObject({ verdict: 'equivalent', runs: 2 });
    expect(r.sites[0]!.reason).toContain('registered by 2 drivers with different id_tables (foo_id, bar_id)');
    expect(r.sites[0]!.reason).toContain('each driver sees its own table');
    // A fixed table is right for one of the drivers only.
    const fixed = after.replace('i2c_client_get_device_id(client)', 'i2c_match_id(foo_id, client)');
    const f = (await run(before, fixed)).sites[0]!;
    expect(f).toMatchObject({ verdict: 'differs', environment: 'the client bound to bar_driver (drivers/foo.c)', before: 'i2c_match_id(bar_id, client)', after: 'i2c_match_id(foo_id, client)' });
  });

  it('an unconverted probe is the same code; a one-parameter function left as .probe is an error', async () => {
    expect((await run(BEFORE, BEFORE)).sites[0]).toMatchObject({ verdict: 'equivalent', reason: 'the same code (unconverted: still .probe(client, id))' });
    const r = await run(BEFORE, afterWith('const struct i2c_device_id *id = i2c_client_get_device_id(client);', 'probe'));
    expect(r.problems).toMatchObject([{ code: 'callback-type', severity: 'error', path: 'drivers/foo.c' }]);
    expect(r.ok).toBe(false);
  });

  it('a changed id_table of an unconverted probe differs', async () => {
    const r = await run(BEFORE, BEFORE.replace('.id_table = foo_id', '.id_table = bar_id'));
    expect(r.sites[0]).toMatchObject({ verdict: 'differs', reason: "foo_driver's id_table changed" });
  });
});
