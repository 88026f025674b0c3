// iommu-sva-bind-flags beyond the byte-for-byte samples: what a person sees
// and does with what the run leaves (issue 14, items 16 and 20).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigration } from '../../codemods/engine/run.js';
import { diskSource } from '../../codemods/io/source.js';
import { getMigration } from '../../codemods/registry.js';
import { runCli } from '../helpers/cli.js';
import { copyTree, removeTree, tempDir } from '../helpers/tree.js';

const SAMPLES = join(import.meta.dirname, '..', '..', 'samples', 'iommu-sva-bind-flags');
const migration = getMigration('iommu-sva-bind-flags')!;
const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

function copyOf(sample: string, which: 'before' | 'after'): string {
  const t = tempDir('kmigrate-sva-');
  temps.push(t);
  copyTree(join(SAMPLES, sample, which), join(t, 'tree'));
  return join(t, 'tree');
}

const run = (root: string) => runMigration(migration, diskSource(root, []), { rootLabel: '.', jobs: 1 });

describe('a call left manual', () => {
  it('is the only thing left in the old API: the fix its message gives completes the migration', async () => {
    const root = copyOf('manual-field-unknown', 'before');
    const first = await run(root);
    for (const f of first.files) if (f.status === 'changed') writeFileSync(join(root, f.path), f.after!);
    const manual = first.sites.filter((s) => s.action === 'manual');
    expect(manual.map((s) => s.code)).toEqual(['call-field-type']);
    // "if it is an integer flag word, pass ctx->flags": do what it says.
    const value = /pass (\S+)$/.exec(manual[0]!.message)?.[1];
    expect(value).toBe('ctx->flags');
    const file = join(root, manual[0]!.path);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('&ctx->flags');
    writeFileSync(file, text.replace('&ctx->flags', value!));
    // Now nothing is left to change (nothing else was half done), and the
    // call is not mistaken for a pointer: its field's type is still not
    // visible, which is all the run can say of it.
    const second = await run(root);
    expect(second.sites.filter((s) => s.action !== 'unchanged').map((s) => `${s.path}:${s.line} ${s.action} [${s.code}]`)).toEqual([
      'drivers/misc/hfq/hfq.c:14 manual [call-field-value-type]',
    ]);
    expect(second.files.filter((f) => f.status === 'changed')).toEqual([]);
    expect(readFileSync(file, 'utf8')).not.toMatch(/SVM_FLAG_|NULL\)/);
  });
});

describe('a tree past the migration', () => {
  it('says once, in the default output, that the migration does not apply, and exits 0', async () => {
    const root = copyOf('api-past-migration', 'before');
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--jobs', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => /does not apply/.test(l))).toEqual([
      expect.stringMatching(/^include\/linux\/iommu\.h:17:19: unchanged prototype \[api-past-migration\] iommu_sva_bind_device\(\) takes 2 parameters/),
    ]);
    expect(lines.filter((l) => /manual/.test(l) && !/0 need manual work/.test(l))).toEqual([]);
  });

  const real = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kmigrate', 'linux-source-6.12');
  it.skipIf(!existsSync(join(real, 'include', 'linux', 'iommu.h')))('on Debian linux-source-6.12: one notice, no manual site', async () => {
    const result = await runMigration(migration, diskSource(real, ['include/linux/iommu.h', 'drivers/iommu', 'drivers/dma/idxd', 'drivers/misc/uacce']), {
      rootLabel: '.',
      jobs: 1,
    });
    expect(result.sites.filter((s) => s.action === 'manual')).toEqual([]);
    expect(result.sites.filter((s) => s.notice).map((s) => `${s.path} [${s.code}]`)).toEqual(['include/linux/iommu.h [api-past-migration]']);
    expect(result.files.filter((f) => f.status === 'changed')).toEqual([]);
  });
});

// The parts of a bind function the sva-flags step still does around the
// kit's retype (migration.yaml): a drvdata read into a local of another
// name, a direct call of an implementation with &flags, and a read kept
// when the kit does not convert the function.
describe('the step around the kit', () => {
  const HEADER = readFileSync(join(SAMPLES, 'demo', 'before', 'include', 'linux', 'iommu.h'), 'utf8');
  const impl = (extra: string) =>
    [
      '#include <linux/iommu.h>',
      '',
      'static struct iommu_sva *qbind(struct device *dev, struct mm_struct *mm, void *drvdata)',
      '{',
      '\tunsigned int sflags = 0;',
      '',
      '\tif (drvdata)',
      '\t\tsflags = *(unsigned int *)drvdata;',
      '\treturn do_bind(dev, mm, sflags);',
      '}',
      '',
      'static const struct iommu_ops q_ops = {',
      '\t.sva_bind = qbind,',
      '};',
      extra,
    ].join('\n');
  const tree = (extra: string) => {
    const files: Record<string, string> = { 'include/linux/iommu.h': HEADER, 'drivers/q/q.c': impl(extra) };
    return { list: () => Object.keys(files).sort(), read: (p: string) => (files[p] === undefined ? undefined : Buffer.from(files[p]!)) };
  };
  const runOn = (extra: string) => runMigration(migration, tree(extra), { rootLabel: '.', jobs: 1 });
  const q = (r: Awaited<ReturnType<typeof runOn>>) => ({
    after: r.files.find((f) => f.path === 'drivers/q/q.c')?.after,
    sites: r.sites.filter((s) => s.path === 'drivers/q/q.c').map((s) => `${s.line} ${s.action} ${s.code}`),
  });

  it('the parameter takes the name of the local the read went into, and a direct call with &flags is folded, not a reason to leave the function', async () => {
    const r = q(await runOn('\nint f(struct device *dev)\n{\n\tint flags = SVM_FLAG_SUPERVISOR_MODE;\n\n\treturn qbind(dev, current->mm, &flags) ? 0 : -1;\n}\n'));
    expect(r.after).toContain('static struct iommu_sva *qbind(struct device *dev, struct mm_struct *mm,\n\t\t\t       unsigned int sflags)\n{\n\treturn do_bind(dev, mm, sflags);\n}\n');
    expect(r.after).toContain('\treturn qbind(dev, current->mm, IOMMU_SVA_BIND_SUPERVISOR) ? 0 : -1;\n');
    expect(r.sites).toContain('3 rewritten signature');
    expect(r.sites).toContain('7 rewritten drvdata-read-removed');
  });

  it('a function the kit leaves (also registered in another struct): its read stays, and says so', async () => {
    const r = q(await runOn('\nstatic const struct other_ops o_ops = {\n\t.bind = qbind,\n};\n'));
    expect(r.sites).toContain('3 manual impl-other-use');
    expect(r.sites).toContain('7 unchanged drvdata-read-kept');
    expect(r.after ?? '').not.toContain('unsigned int sflags)');
    expect(r.after === undefined || r.after.includes('\tif (drvdata)\n\t\tsflags = *(unsigned int *)drvdata;\n')).toBe(true);
  });
});
