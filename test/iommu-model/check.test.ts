// checkTrees() on small trees written for this project (fixtures/): a
// drvdata-era tree, its correct migration, and hand edits that change what
// a call means.
import { fileURLToPath } from 'node:url';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTrees, type CheckResult, type SiteReport } from '../../iommu-model/check.js';
import { diskTree, findCallFiles, memoryTree, overlayTree, type TreeSource } from '../../iommu-model/trees.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const tree = (name: string) => diskTree(path.join(FIXTURES, name), { label: name });

const KERNEL_C = 'drivers/misc/sva-demo/kernel.c';
const USER_C = 'drivers/misc/sva-demo/user.c';
const RUNTIME_C = 'drivers/misc/sva-demo/runtime.c';

async function check(after: string | TreeSource): Promise<CheckResult> {
  return checkTrees({ before: await tree('before'), after: typeof after === 'string' ? await tree(after) : after });
}

function siteAt(r: CheckResult, p: string): SiteReport {
  const s = r.sites.find((x) => x.path === p);
  if (!s) throw new Error(`no site in ${p}: ${JSON.stringify(r.sites.map((x) => x.path))}`);
  return s;
}

/** The after-correct tree with one file's text edited in memory. */
async function edited(file: string, from: string, to: string): Promise<TreeSource> {
  const base = await tree('after-correct');
  const text = base.read(file)!;
  expect(text).toContain(from);
  return overlayTree(base, new Map([[file, text.replace(from, to)]]), `after-correct with ${file} edited`);
}

describe('finding the files', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'kmigrate-model-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('lists the .c and .h files that mention the API, relative and sorted', async () => {
    expect(await findCallFiles(path.join(FIXTURES, 'before'))).toEqual([
      'drivers/misc/sva-demo/kernel.c',
      'drivers/misc/sva-demo/runtime.c',
      'drivers/misc/sva-demo/user.c',
      'include/linux/iommu.h',
    ]);
  });

  it('follows a symlinked root, skips .git, and ignores .gitignore', async () => {
    const real = path.join(tmp, 'real');
    mkdirSync(path.join(real, 'drivers'), { recursive: true });
    mkdirSync(path.join(real, '.git'), { recursive: true });
    writeFileSync(path.join(real, 'drivers', 'a.c'), 'x = iommu_sva_bind_device(d, NULL, NULL);\n');
    writeFileSync(path.join(real, 'drivers', 'b.txt'), 'iommu_sva_bind_device\n');
    writeFileSync(path.join(real, '.git', 'c.c'), 'iommu_sva_bind_device\n');
    writeFileSync(path.join(real, '.gitignore'), 'drivers/\n');
    symlinkSync(real, path.join(tmp, 'link'));
    expect(await findCallFiles(path.join(tmp, 'link'))).toEqual(['drivers/a.c']);
  });

  it('refuses to read outside the tree', async () => {
    const t = await tree('before');
    expect(t.read('../after-correct/include/linux/iommu.h')).toBeUndefined();
    expect(t.read('/etc/passwd')).toBeUndefined();
  });
});

describe('checkTrees on the fixture trees', () => {
  it('the correct migration is equivalent everywhere; the SMMUv3 change is reported as declared', async () => {
    const r = await check('after-correct');
    expect(r.eras.before).toMatchObject({ kind: 'drvdata', supervisorFlag: 1, supervisorMacro: 'SVM_FLAG_SUPERVISOR_MODE' });
    expect(r.eras.after).toMatchObject({ kind: 'flags', supervisorFlag: 1, supervisorMacro: 'IOMMU_SVA_BIND_SUPERVISOR', parameter: 'unsigned int flags' });
    expect(r.sites.map((s) => [s.path, s.line, s.verdict])).toEqual([
      [KERNEL_C, 15, 'equivalent'],
      [RUNTIME_C, 11, 'equivalent'],
      [USER_C, 11, 'equivalent'],
    ]);
    const kernel = siteAt(r, KERNEL_C);
    expect(kernel).toMatchObject({ declared: true, declaredChanges: ['smmuv3-rejects-ignored-flags'], function: 'demo_enable_kernel_pasid', afterLine: 11 });
    expect(kernel.environmentDetail).toMatchObject({ driver: 'smmuv3' });
    expect(kernel.after).toMatch(/^-EINVAL/);
    expect(siteAt(r, USER_C)).toMatchObject({ declared: false, environment: '', before: '', after: '' });
    expect(r.problems).toEqual([]);
    expect(r.summary).toEqual({ equivalent: 3, differs: 0, unknown: 0, declared: 2, problems: 0 });
    expect(r.ok).toBe(true);
  });

  it('the result is JSON data in the shape of docs/json.md', async () => {
    const r = await check('after-correct');
    const round = JSON.parse(JSON.stringify(r));
    expect(round).toEqual(r);
    expect(round.codemod).toBe('iommu-sva-bind-flags');
    for (const s of round.sites) {
      for (const k of ['path', 'line', 'verdict', 'declared', 'environment', 'before', 'after', 'reason']) expect(s).toHaveProperty(k);
    }
    expect(Object.keys(round.summary)).toEqual(expect.arrayContaining(['equivalent', 'differs', 'unknown']));
  });

  it('0 where the supervisor flag was meant differs, first on VT-d with SRS', async () => {
    const r = await check('after-zero-for-supervisor');
    const s = siteAt(r, KERNEL_C);
    expect(s).toMatchObject({ verdict: 'differs', declared: false });
    expect(s.environmentDetail).toMatchObject({ driver: 'vtd', srs: true, svaEnabled: true, groupSize: 1, x86Backport: false });
    expect(s.environment).toContain('driver=vtd srs=yes');
    expect(s.before).toBe('supervisor binding of init_mm (PASID 1)');
    expect(s.after).toMatch(/^kernel oops: NULL mm/);
    expect(r.summary.differs).toBe(1);
    expect(r.ok).toBe(false);
  });

  it('the supervisor flag where 0 was meant differs', async () => {
    const r = await check('after-flag-for-zero');
    const s = siteAt(r, USER_C);
    expect(s).toMatchObject({ verdict: 'differs', declared: false });
    expect(s.environmentDetail).toMatchObject({ driver: 'vtd', srs: true });
    expect(s.before).toBe('user binding of current->mm (PASID 1)');
    expect(s.after).toMatch(/^-EINVAL \(intel_svm_bind: supervisor PASID with a user mm\)/);
    expect(r.ok).toBe(false);
  });

  it('swapping the mm (NULL ↔ current->mm) differs at both sites', async () => {
    const r = await check('after-swapped-mm');
    expect(siteAt(r, KERNEL_C)).toMatchObject({ verdict: 'differs', after: expect.stringMatching(/^-EINVAL/) });
    expect(siteAt(r, USER_C)).toMatchObject({ verdict: 'differs', before: 'user binding of current->mm (PASID 1)' });
    expect(r.summary.differs).toBe(2);
  });

  it('&v with a run-time v before and v after are equivalent for every value of v', async () => {
    const r = await check('after-correct');
    const s = siteAt(r, RUNTIME_C);
    expect(s.verdict).toBe('equivalent');
    expect(s.beforeArguments).toContain('&v holding { ctx->bind_flags');
    expect(s.afterArguments).toContain('v = { ctx->bind_flags');
    // 32 hardware environments × 4 flag values × ctx->mm NULL or not
    expect(s.runs).toBe(256);
  });

  it('a run-time value changed on one side differs, naming the value', async () => {
    const r = await check(await edited(RUNTIME_C, 'ctx->mm, v)', 'ctx->mm, v | IOMMU_SVA_BIND_SUPERVISOR)'));
    const s = siteAt(r, RUNTIME_C);
    expect(s.verdict).toBe('differs');
    expect(s.environmentDetail?.symbols).toMatchObject({ 'ctx->bind_flags': '0x0' });
  });

  it('a new flag SMMUv3 refuses is not covered by the declared change', async () => {
    // VT-d ignores bit 3, so only SMMUv3 notices; but the before call passed
    // no flag for SMMUv3 to ignore.
    const r = await check(await edited(USER_C, 'current->mm, 0)', 'current->mm, BIT(3))'));
    const s = siteAt(r, USER_C);
    expect(s).toMatchObject({ verdict: 'differs', declared: false });
    expect(s.environmentDetail).toMatchObject({ driver: 'smmuv3' });
  });

  it('a call still passing &flags to the flags API is unknown and reported as unmigrated', async () => {
    const r = await check('after-unmigrated-call');
    expect(siteAt(r, KERNEL_C)).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('an address') });
    expect(r.problems).toEqual([expect.objectContaining({ path: KERNEL_C, line: 14, severity: 'error', code: 'old-api-call' })]);
    expect(r.ok).toBe(false);
  });

  it('NULL passed to the flags API is compared as 0 but reported as unmigrated', async () => {
    const r = await check(await edited(USER_C, 'current->mm, 0)', 'current->mm, NULL)'));
    expect(siteAt(r, USER_C).verdict).toBe('equivalent');
    expect(r.problems.map((p) => p.code)).toEqual(['old-api-call']);
    expect(r.ok).toBe(false);
  });

  it('an after tree still in the drvdata era fails', async () => {
    const r = await check('before');
    expect(r.sites.every((s) => s.verdict === 'equivalent')).toBe(true);
    expect(r.problems.map((p) => p.code)).toEqual(['old-api-prototype', 'old-api-call', 'old-api-call', 'old-api-call']);
    expect(r.ok).toBe(false);
  });

  it('a call removed in the after tree is unknown; a new call is a note', async () => {
    const base = await tree('after-correct');
    const userText = base.read(USER_C)!;
    const moved = userText.replace('int demo_open(', 'int demo_open_renamed(');
    const r = await check(overlayTree(base, new Map([[USER_C, moved]]), 'renamed'));
    expect(siteAt(r, USER_C)).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('no matching call') });
    expect(r.problems).toEqual([expect.objectContaining({ code: 'new-call', severity: 'note', path: USER_C })]);
    expect(r.ok).toBe(false);
  });

  it('a tree without include/linux/iommu.h has an unknown era and unknown sites', async () => {
    const base = await tree('after-correct');
    const r = await check(overlayTree(base, new Map([['include/linux/iommu.h', null]]), 'no header'));
    expect(r.eras.after.kind).toBe('unknown');
    expect(r.sites.every((s) => s.verdict === 'unknown')).toBe(true);
  });

  it('a flags-era tree without IOMMU_SVA_BIND_SUPERVISOR is reported', async () => {
    const base = await tree('after-correct');
    const header = base.read('include/linux/iommu.h')!.replace(/#define IOMMU_SVA_BIND_SUPERVISOR.*\n/, '');
    const r = await check(overlayTree(base, new Map([['include/linux/iommu.h', header]]), 'no define'));
    expect(r.problems.map((p) => p.code)).toContain('missing-supervisor-flag');
    expect(siteAt(r, KERNEL_C).verdict).toBe('unknown');
  });

  it('a call inside a parse error is unknown', async () => {
    const r = await check(await edited(USER_C, 'current->mm, 0);', 'current->mm, 0) +;'));
    expect(siteAt(r, USER_C)).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('parse error') });
  });

  it('a header whose prototype and stub disagree is reported', async () => {
    const base = await tree('after-correct');
    const header = base.read('include/linux/iommu.h')!.replace('struct mm_struct *mm,\n\t\t      unsigned int flags)', 'struct mm_struct *mm, void *drvdata)');
    const r = await check(overlayTree(base, new Map([['include/linux/iommu.h', header]]), 'half-migrated header'));
    expect(r.problems).toEqual([expect.objectContaining({ code: 'inconsistent-prototypes', severity: 'error' })]);
    expect(r.eras.after.kind).toBe('flags');
    expect(r.ok).toBe(false);
  });

  it('works on trees held in memory', async () => {
    const header = (third: string) => `struct iommu_sva *iommu_sva_bind_device(struct device *dev, struct mm_struct *mm, ${third});\n#define IOMMU_SVA_BIND_SUPERVISOR (1U << 0)\n#define SVM_FLAG_SUPERVISOR_MODE (1 << 0)\n`;
    const before = memoryTree({ 'include/linux/iommu.h': header('void *drvdata'), 'a.c': 'int f(void) { int fl = SVM_FLAG_SUPERVISOR_MODE; return !iommu_sva_bind_device(d, NULL, &fl); }\n' }, 'mem-before');
    const after = memoryTree({ 'include/linux/iommu.h': header('unsigned int flags'), 'a.c': 'int f(void) { return !iommu_sva_bind_device(d, NULL, IOMMU_SVA_BIND_SUPERVISOR); }\n' }, 'mem-after');
    const r = await checkTrees({ before, after });
    expect(r.sites).toEqual([expect.objectContaining({ path: 'a.c', verdict: 'equivalent', declared: true })]);
    expect(r.ok).toBe(true);
  });
});
