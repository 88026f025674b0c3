// test:kernel's expectations (scripts/test-kernel.mjs): what the
// iommu-sva-bind-flags migration must change in linux-source-6.1 and which
// objects those changes touch, and the paths of the built kmigrate it runs.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './proc.mjs';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(REPO, 'dist', 'bundle', 'kmigrate.js');
export const KBUILD = join(REPO, 'dist', 'codemods', 'kbuild', 'index.js');
/** The migration's metadata: its Kconfig options build its drivers (kbuild itself knows no driver). */
/** The migration as the CLI resolves it: its Kconfig options build its drivers (kbuild itself knows no driver). */
export const REGISTRY = join(REPO, 'dist', 'codemods', 'registry.js');
export const CODEMOD = 'iommu-sva-bind-flags';

/** The files the migration changes in linux-source-6.1 (docs/migrations.md). */
export const EXPECTED_FILES = [
  'drivers/dma/idxd/cdev.c',
  'drivers/dma/idxd/init.c',
  'drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-sva.c',
  'drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h',
  'drivers/iommu/intel/iommu.h',
  'drivers/iommu/intel/svm.c',
  'drivers/iommu/iommu.c',
  'drivers/misc/uacce/uacce.c',
  'include/linux/intel-svm.h',
  'include/linux/iommu.h',
];

/** The objects those changes touch, per arch. */
export const OBJECTS = {
  x86_64: [
    'drivers/dma/idxd/cdev.o',
    'drivers/dma/idxd/init.o',
    'drivers/misc/uacce/uacce.o',
    'drivers/iommu/iommu.o',
    'drivers/iommu/intel/svm.o',
    'drivers/iommu/intel/iommu.o',
  ],
  arm64: [
    'drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-sva.o',
    'drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.o',
    'drivers/iommu/iommu.o',
    'drivers/misc/uacce/uacce.o',
  ],
};

/** What the per-run wipe of <cache>/work/test-kernel keeps: the git checkout and validate-series' cache. */
export const KEPT_IN_WORK = ['git-tree', 'xdg'];

export function kmigrate(cliArgs) {
  return run(process.execPath, [CLI, ...cliArgs], { cwd: REPO });
}
