// The abstraction and the checker on the real call sites of Debian's
// linux-source-6.1 (fetched by `npm run fetch:kernel` into the user's
// cache). Read-only: nothing is written into the tree.
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseC } from '../../codemods/c/index.js';
import { abstractCall, bindCalls, type CallAbstraction } from '../../iommu-model/abstraction.js';
import { showExpr } from '../../iommu-model/c-expr.js';
import { checkTrees } from '../../iommu-model/check.js';
import { fileMacroTable, headerMacroTable } from '../../iommu-model/macros.js';
import { diskTree, overlayTree } from '../../iommu-model/trees.js';

function kernelTree(): string | undefined {
  const caches = [process.env.XDG_CACHE_HOME, path.join(os.homedir(), '.cache')].filter((c): c is string => !!c);
  return caches.map((c) => path.join(c, 'kmigrate', 'linux-source-6.1')).find((d) => existsSync(path.join(d, 'include/linux/iommu.h')));
}

const ROOT = kernelTree();
const SKIP = ROOT === undefined;
const SKIP_REASON = 'linux-source-6.1 not found under $XDG_CACHE_HOME/kmigrate or ~/.cache/kmigrate (run `npm run fetch:kernel`)';

const SITES = ['drivers/dma/idxd/cdev.c', 'drivers/dma/idxd/init.c', 'drivers/misc/uacce/uacce.c'];

describe.skipIf(SKIP)(`the real kernel tree${SKIP ? ` — skipped: ${SKIP_REASON}` : ''}`, () => {
  async function abstractions(file: string): Promise<CallAbstraction[]> {
    const tree = await diskTree(ROOT!, { paths: SITES });
    const text = tree.read(file)!;
    const parsed = parseC(text);
    const macros = fileMacroTable((p) => tree.read(p), headerMacroTable((p) => tree.read(p)), file, text, parsed);
    return bindCalls(parsed).map((call) => abstractCall({ call, tree: parsed, text, macros }));
  }

  it('drivers/dma/idxd/cdev.c: current->mm and NULL', async () => {
    const [c, ...rest] = await abstractions('drivers/dma/idxd/cdev.c');
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ function: 'idxd_cdev_open', parseError: false, mm: { kind: 'current-mm' }, third: { kind: 'null', pointerSyntax: true, text: 'NULL' } });
  });

  it('drivers/misc/uacce/uacce.c: current->mm and NULL', async () => {
    const [c, ...rest] = await abstractions('drivers/misc/uacce/uacce.c');
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ function: 'uacce_bind_queue', mm: { kind: 'current-mm' }, third: { kind: 'null', pointerSyntax: true } });
  });

  it('drivers/dma/idxd/init.c: NULL mm and &flags holding SVM_FLAG_SUPERVISOR_MODE = BIT(0) = 1', async () => {
    const [c, ...rest] = await abstractions('drivers/dma/idxd/init.c');
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ function: 'idxd_enable_system_pasid', mm: { kind: 'null-mm' } });
    expect(c!.third).toMatchObject({ kind: 'address', target: { name: 'flags', scope: 'local', type: 'int', sizeBytes: 4 } });
    if (c!.third.kind !== 'address') throw new Error('expected an address');
    // `flags = SVM_FLAG_SUPERVISOR_MODE;` through include/linux/intel-svm.h →
    // include/vdso/bits.h → include/vdso/const.h → include/uapi/linux/const.h.
    expect(c!.third.reaching).toHaveLength(1);
    const only = c!.third.reaching[0]!;
    expect(only.kind === 'value' && showExpr(only.expr)).toBe('1');
    expect(only.kind === 'value' && only.expr).toMatchObject({ op: 'const', type: { bits: 64, unsigned: true } });
    expect(only.kind === 'value' && only.text).toBe('SVM_FLAG_SUPERVISOR_MODE');
  });

  it('the upstream-style migration, applied in memory, is equivalent except for the declared SMMUv3 change', async () => {
    const base = await diskTree(ROOT!, { paths: SITES, label: 'linux-source-6.1' });
    const edit = (file: string, pairs: Array<[string, string]>): [string, string] => {
      let text = base.read(file)!;
      for (const [from, to] of pairs) {
        expect(text, `${file}: ${from}`).toContain(from);
        text = text.replace(from, to);
      }
      return [file, text];
    };
    const after = overlayTree(base, new Map([
      edit('include/linux/iommu.h', [
        ['#define IOMMU_PASID_INVALID\t(-1U)\n', '#define IOMMU_PASID_INVALID\t(-1U)\n#define IOMMU_SVA_BIND_SUPERVISOR\tBIT(0)\n'],
        ['\t\t\t\t\tstruct mm_struct *mm,\n\t\t\t\t\tvoid *drvdata);', '\t\t\t\t\tstruct mm_struct *mm,\n\t\t\t\t\tunsigned int flags);'],
        ['iommu_sva_bind_device(struct device *dev, struct mm_struct *mm, void *drvdata)', 'iommu_sva_bind_device(struct device *dev, struct mm_struct *mm, unsigned int flags)'],
      ]),
      edit('drivers/dma/idxd/cdev.c', [['current->mm, NULL)', 'current->mm, 0)']]),
      edit('drivers/misc/uacce/uacce.c', [['current->mm, NULL)', 'current->mm, 0)']]),
      edit('drivers/dma/idxd/init.c', [
        ['\tint flags;\n', ''],
        ['\tflags = SVM_FLAG_SUPERVISOR_MODE;\n\n', ''],
        ['NULL, &flags)', 'NULL,\n\t\t\t\t    IOMMU_SVA_BIND_SUPERVISOR)'],
      ]),
    ]), 'migrated in memory');
    const r = await checkTrees({ before: base, after });
    expect(r.eras.before).toMatchObject({ kind: 'drvdata', supervisorMacro: 'SVM_FLAG_SUPERVISOR_MODE', source: 'include/linux/iommu.h:669' });
    expect(r.eras.after).toMatchObject({ kind: 'flags', supervisorMacro: 'IOMMU_SVA_BIND_SUPERVISOR' });
    expect(r.sites.map((s) => [s.path, s.line, s.verdict, s.declared])).toEqual([
      ['drivers/dma/idxd/cdev.c', 115, 'equivalent', false],
      ['drivers/dma/idxd/init.c', 566, 'equivalent', true],
      ['drivers/misc/uacce/uacce.c', 125, 'equivalent', false],
    ]);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
  });
});
