// The model on shapes the fixture trees do not hold: macros defined outside
// the canonical headers, reached through the includes (issue 14, item 19),
// and a conditional mm argument, each arm under its condition (item 18).
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTrees, type CheckResult } from '../../iommu-model/check.js';
import { diskTree, overlayTree, type TreeSource } from '../../iommu-model/trees.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const tree = (name: string) => diskTree(path.join(FIXTURES, name), { label: name });

/** `base` with files replaced (text), added, or removed (null). */
function edit(base: TreeSource, changes: Record<string, string | null>, label: string): TreeSource {
  return overlayTree(base, new Map(Object.entries(changes)), label);
}

/** A tree whose BIT() lives in include/linux/sva-bits.h, reached from intel-svm.h and iommu.h. */
function movedBits(base: TreeSource, label: string): TreeSource {
  const moved: Record<string, string | null> = {
    'include/linux/bits.h': null,
    'include/linux/sva-bits.h': '#ifndef _SVA_BITS_H\n#define _SVA_BITS_H\n#define BIT(nr)\t(1UL << (nr))\n#endif\n',
  };
  for (const h of ['include/linux/intel-svm.h', 'include/linux/iommu.h']) {
    const text = base.read(h);
    if (text !== undefined) moved[h] = text.replace('#include <linux/bits.h>', '#include <linux/sva-bits.h>');
  }
  return edit(base, moved, label);
}

describe('macros through the includes', () => {
  it('evaluates flags whose BIT() is defined outside the canonical headers, and names no line 0', async () => {
    const before = movedBits(await tree('before'), 'before, BIT() moved');
    const after = movedBits(await tree('after-correct'), 'after, BIT() moved');
    expect(before.read('include/linux/intel-svm.h')).toContain('<linux/sva-bits.h>');
    const r = await checkTrees({ before, after });
    expect(r.eras.before).toMatchObject({ kind: 'drvdata', supervisorFlag: 1, supervisorMacro: 'SVM_FLAG_SUPERVISOR_MODE' });
    expect(r.eras.after).toMatchObject({ kind: 'flags', supervisorFlag: 1, supervisorMacro: 'IOMMU_SVA_BIND_SUPERVISOR' });
    expect(r.problems.filter((p) => /supervisor-flag/.test(p.code))).toEqual([]);
    expect(r.sites.map((s) => s.verdict)).toEqual(['equivalent', 'equivalent', 'equivalent']);
    expect(r.ok).toBe(true);
  });

  it('evaluates a driver macro two includes away from the call file', async () => {
    const base = await tree('after-correct');
    const kernel = 'drivers/misc/sva-demo/kernel.c';
    const after = edit(
      base,
      {
        [kernel]: base.read(kernel)!.replace('IOMMU_SVA_BIND_SUPERVISOR);', 'DEMO_KERNEL_FLAGS);').replace('#include "sva-demo.h"', '#include "sva-demo.h"\n#include <linux/demo-hw.h>'),
        'include/linux/demo-hw.h': '#include <linux/demo-flags.h>\n',
        'include/linux/demo-flags.h': '#define DEMO_KERNEL_FLAGS\tIOMMU_SVA_BIND_SUPERVISOR\n',
      },
      'after, flag from a nested header',
    );
    expect(after.read(kernel)).toContain('DEMO_KERNEL_FLAGS');
    const r = await checkTrees({ before: await tree('before'), after });
    const site = r.sites.find((s) => s.path === kernel)!;
    expect(site.verdict, site.reason).toBe('equivalent');
    expect(site.afterArguments).toContain('DEMO_KERNEL_FLAGS = 1');
  });

  it('names a real line for a flag that does not evaluate', async () => {
    const before = edit(await tree('before'), { 'include/linux/bits.h': null }, 'before without BIT()');
    const r = await checkTrees({ before, after: await tree('after-correct') });
    const notes = r.problems.filter((p) => p.code === 'missing-supervisor-flag');
    expect(notes.length).toBe(1);
    expect(notes[0]).toMatchObject({ path: 'include/linux/intel-svm.h' });
    expect(notes[0]!.line).toBeGreaterThan(0);
    expect(r.problems.every((p) => p.line > 0), JSON.stringify(r.problems)).toBe(true);
  });
});

const COND = 'drivers/misc/sva-demo/cond.c';

function condTree(base: TreeSource, body: string, label: string): TreeSource {
  const text = `#include <linux/intel-svm.h>\n#include <linux/iommu.h>\n\nstruct iommu_sva *demo_bind(struct device *dev, bool kernel)\n{\n${body}}\n`;
  return edit(base, { [COND]: text }, label);
}

async function checkCond(beforeBody: string, afterBody: string): Promise<CheckResult> {
  const before = condTree(await tree('before'), beforeBody, 'before');
  const after = condTree(await tree('after-correct'), afterBody, 'after');
  return checkTrees({ before, after });
}

describe('a conditional mm argument', () => {
  const before =
    '\tunsigned int flags = kernel ? SVM_FLAG_SUPERVISOR_MODE : 0;\n\n' +
    '\treturn iommu_sva_bind_device(dev, kernel ? NULL : current->mm, &flags);\n';

  it('evaluates both arms under their conditions: the faithful migration is equivalent', async () => {
    const r = await checkCond(before, '\treturn iommu_sva_bind_device(dev, kernel ? NULL : current->mm,\n\t\t\t\t     kernel ? IOMMU_SVA_BIND_SUPERVISOR : 0);\n');
    const site = r.sites.find((s) => s.path === COND)!;
    expect(site.verdict, site.reason).toBe('equivalent');
    expect(site.beforeArguments).toContain('kernel ? NULL : current->mm');
  });

  it('finds the difference when the arms are swapped', async () => {
    const r = await checkCond(before, '\treturn iommu_sva_bind_device(dev, kernel ? current->mm : NULL,\n\t\t\t\t     kernel ? IOMMU_SVA_BIND_SUPERVISOR : 0);\n');
    const site = r.sites.find((s) => s.path === COND)!;
    expect(site.verdict, site.reason).toBe('differs');
    expect(site.environment).toMatch(/kernel=/);
  });
});
