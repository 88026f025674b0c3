import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTree, runCli } from '../helpers/cli.js';

const HEADER = `#ifndef _LINUX_IOMMU_H
#define _LINUX_IOMMU_H

#define IOMMU_PASID_INVALID\t(-1U)

#ifdef CONFIG_IOMMU_API
struct iommu_sva *iommu_sva_bind_device(struct device *dev,
\t\t\t\t\tstruct mm_struct *mm,
\t\t\t\t\tvoid *drvdata);
#endif /* CONFIG_IOMMU_API */

#endif /* _LINUX_IOMMU_H */
`;

const CALLER = `// SPDX-License-Identifier: GPL-2.0
#include <linux/iommu.h>

static int demo_open(struct device *dev)
{
\tstruct iommu_sva *sva;

\tsva = iommu_sva_bind_device(dev, current->mm, NULL);
\treturn IS_ERR(sva) ? PTR_ERR(sva) : 0;
}
`;

const POINTER_CALLER = `#include <linux/iommu.h>

static int demo_attach(struct device *dev, struct demo_priv *priv)
{
\treturn PTR_ERR_OR_ZERO(iommu_sva_bind_device(dev, current->mm, priv));
}
`;

describe('kmigrate run', () => {
  it('prints a git-apply-able diff, the summary on stderr, and writes nothing', async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER });
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-\tsva = iommu_sva_bind_device(dev, current->mm, NULL);\n+\tsva = iommu_sva_bind_device(dev, current->mm, 0);\n');
    expect(r.stderr).toMatch(/2 files scanned, 2 parsed, 2 to change/);
    expect(readFileSync(join(root, 'drivers/misc/demo.c'), 'utf8')).toBe(CALLER);
    execFileSync('git', ['apply', '--check', '-'], { cwd: root, input: r.stdout });
  });

  it('--write applies the same change atomically and keeps the file mode; a second run changes nothing', async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER });
    chmodSync(join(root, 'drivers/misc/demo.c'), 0o640);
    const dry = await runCli(['run', 'iommu-sva-bind-flags', '-C', root]);
    const copy = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER });
    execFileSync('git', ['apply', '-'], { cwd: copy, input: dry.stdout });
    const w = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--write']);
    expect(w.code).toBe(0);
    for (const p of ['include/linux/iommu.h', 'drivers/misc/demo.c']) {
      expect(readFileSync(join(root, p))).toEqual(readFileSync(join(copy, p)));
    }
    expect(statSync(join(root, 'drivers/misc/demo.c')).mode & 0o777).toBe(0o640);
    const again = await runCli(['run', 'iommu-sva-bind-flags', '-C', root]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
  });

  it('exits 1 and names the site when a call passes driver data', async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': POINTER_CALLER });
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    const site = json.sites.find((s: { path: string }) => s.path === 'drivers/misc/demo.c');
    expect(site).toMatchObject({ line: 5, kind: 'call', action: 'manual', code: 'call-pointer-arg' });
    expect(json.summary).toMatchObject({ filesScanned: 2, manual: 1 });
    expect(typeof json.diff).toBe('string');
  });

  it('--format text gives one line per site and a code frame for manual ones', async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': POINTER_CALLER });
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--format', 'text']);
    expect(r.stdout).toMatch(/^drivers\/misc\/demo\.c:5:\d+: manual call \[call-pointer-arg\]/m);
    expect(r.stdout).toContain('> 5 | \treturn PTR_ERR_OR_ZERO(iommu_sva_bind_device(dev, current->mm, priv));');
  });

  it('limits the scan to the given paths, with paths relative to the root', async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER, 'drivers/other/x.c': CALLER });
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, 'drivers/misc', '--format', 'json']);
    const json = JSON.parse(r.stdout);
    expect(json.summary.filesScanned).toBe(1);
    expect(json.sites.map((s: { path: string }) => s.path)).toEqual(['drivers/misc/demo.c']);
  });

  it('walks a tree reached through a symlink', async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER });
    const holder = makeTree({});
    symlinkSync(root, join(holder, 'linux'));
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', join(holder, 'linux')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+++ b/drivers/misc/demo.c');
  });

  it('ignores .gitignore (Debian\'s ends with /*)', async () => {
    const root = makeTree({ '.gitignore': '/*\n', 'include/linux/iommu.h': HEADER, 'drivers/misc/demo.c': CALLER });
    execFileSync('git', ['init', '-q'], { cwd: root });
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root]);
    expect(r.stdout).toContain('+++ b/drivers/misc/demo.c');
  });

  it('leaves a file that is not UTF-8 untouched and reports it with its line', async () => {
    const bad = Buffer.concat([Buffer.from('/* caf'), Buffer.from([0xe9]), Buffer.from(' */\n' + CALLER)]);
    const root = makeTree({ 'include/linux/iommu.h': HEADER, 'drivers/misc/latin1.c': bad });
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--write', '--format', 'json']);
    expect(r.code).toBe(1);
    const site = JSON.parse(r.stdout).sites.find((s: { path: string }) => s.path === 'drivers/misc/latin1.c');
    expect(site).toMatchObject({ line: 1, code: 'not-utf8', action: 'manual' });
    expect(readFileSync(join(root, 'drivers/misc/latin1.c'))).toEqual(bad);
  });
});

describe('bad usage and unusable input exit 2 with a clear message', () => {
  it('unknown codemod', async () => {
    const r = await runCli(['run', 'no-such-codemod', '-C', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown codemod 'no-such-codemod'");
  });

  it('missing tree', async () => {
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', '/nonexistent/kmigrate/tree']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent/kmigrate/tree: no such directory');
  });

  it('a directory that is not a kernel tree', async () => {
    const root = makeTree({ 'README': 'hello\n' });
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a kernel tree');
  });

  it('a path outside the tree, and a missing path', async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER });
    expect((await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '../etc'])).stderr).toContain('outside the tree');
    const missing = await runCli(['run', 'iommu-sva-bind-flags', '-C', root, 'drivers/nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('drivers/nope: no such file or directory');
  });

  it('an unknown format and a bad --jobs', async () => {
    const root = makeTree({ 'include/linux/iommu.h': HEADER });
    expect((await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--format', 'xml'])).code).toBe(2);
    expect((await runCli(['run', 'iommu-sva-bind-flags', '-C', root, '--jobs', 'zero'])).code).toBe(2);
  });

  it('list names the migration', async () => {
    const r = await runCli(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('iommu-sva-bind-flags\n  iommu/sva: Tighten SVA bind API with explicit flags');
  });
});

describe('a rewrite that changes behaviour is marked', () => {
  const demo = 'samples/iommu-sva-bind-flags/demo/before';

  it('text: SMMUv3-like reject of any flag, and only it, ends with [changes behaviour]', async () => {
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', demo, '--format', 'text', '--jobs', '1']);
    expect(r.code).toBe(0);
    const marked = r.stdout.split('\n').filter((l) => l.endsWith(' [changes behaviour]'));
    expect(marked).toEqual([
      'drivers/iommu/arm/smmux/smmux-sva.c:47:2: rewritten implementation [rejects-flags] smmux_sva_bind() never used drvdata and supports no flag: it now rejects any flag (-EINVAL) [changes behaviour]',
    ]);
  });

  it('JSON: the same site carries "changesBehaviour": true, no other site has the field', async () => {
    const r = await runCli(['run', 'iommu-sva-bind-flags', '-C', demo, '--format', 'json', '--jobs', '1']);
    const sites = (JSON.parse(r.stdout) as { sites: { path: string; line: number; code: string; changesBehaviour?: unknown }[] }).sites;
    expect(sites.filter((s) => 'changesBehaviour' in s).map((s) => [s.path, s.line, s.code, s.changesBehaviour])).toEqual([['drivers/iommu/arm/smmux/smmux-sva.c', 47, 'rejects-flags', true]]);
  });
});
