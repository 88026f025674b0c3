// What this migration is, in the words that `kmigrate list`, the docs and
// the commit message of `format-patch` all use.
import { migrationMeta, type StepOf } from '../../engine/migration.js';

export const meta = migrationMeta({
  id: 'iommu-sva-bind-flags',
  subject: 'iommu/sva: Tighten SVA bind API with explicit flags',
  summary: 'iommu_sva_bind_device(dev, mm, void *drvdata) -> (dev, mm, unsigned int flags); SVM_FLAG_SUPERVISOR_MODE -> IOMMU_SVA_BIND_SUPERVISOR',
  rationale: [
    'The void *drvdata parameter of iommu_sva_bind_device() and of the\n' +
      'sva_bind() callback was never used as driver data: the only user, IDXD,\n' +
      'passed a pointer to a VT-d private flag (SVM_FLAG_SUPERVISOR_MODE)\n' +
      'through it, and VT-d read it back with a cast.',
    'Replace it with unsigned int flags and a generic flag,\n' +
      'IOMMU_SVA_BIND_SUPERVISOR, defined outside CONFIG_IOMMU_API so that\n' +
      'callers build with every config. Callers that passed NULL now pass 0;\n' +
      'IDXD passes the flag by value. SMMUv3 does not support supervisor PASIDs\n' +
      'and now rejects any flag instead of ignoring it. The VT-d flag becomes\n' +
      'unused and is removed.',
  ],
  reference: 'LKML 2021, "iommu/sva: Tighten SVA bind API with explicit flags" (Jacob Pan)',
  model: 'iommu-sva',
  // SMMUv3 now refuses the flags it used to ignore (iommu-model/declared.ts).
  declared: ['smmuv3-rejects-ignored-flags'],
  // What makes the SVA code paths real, on top of defconfig. x86_64:
  // INTEL_IDXD_SVM needs INTEL_IOMMU_SVM, PCI_PRI, PCI_PASID and PCI_IOV;
  // INTEL_IOMMU needs PCI_MSI and ACPI; IRQ_REMAP and X86_X2APIC come with it
  // on real machines. arm64: ARM_SMMU_V3_SVA needs only ARM_SMMU_V3; UACCE
  // needs IOMMU_API, which ARM_SMMU_V3 selects.
  kconfig: {
    x86_64: [
      'PCI_MSI',
      'PCI_IOV',
      'PCI_PRI',
      'PCI_PASID',
      'ACPI',
      'DMADEVICES',
      'X86_X2APIC',
      'IRQ_REMAP',
      'INTEL_IOMMU',
      'IOMMU_SVA',
      'INTEL_IOMMU_SVM',
      'INTEL_IDXD',
      'INTEL_IDXD_SVM',
      'UACCE',
    ],
    arm64: ['ARM_SMMU_V3', 'ARM_SMMU_V3_SVA', 'IOMMU_SVA', 'UACCE'],
  },
  steps: [
    {
      id: 'add-flag',
      subject: 'iommu: Add IOMMU_SVA_BIND_SUPERVISOR',
      body: [
        'Add a generic SVA bind flag for supervisor PASIDs, to replace the VT-d\n' +
          'private SVM_FLAG_SUPERVISOR_MODE that IDXD passes through the drvdata\n' +
          'pointer of iommu_sva_bind_device(). It is defined outside\n' +
          'CONFIG_IOMMU_API so that callers build with every config.',
        'No user yet; the next patch converts the API to take flags.',
      ],
    },
    {
      id: 'change-api',
      main: true,
      subject: 'iommu/sva: Tighten SVA bind API with explicit flags',
      body: [
        'The void *drvdata parameter of iommu_sva_bind_device() and of the\n' +
          'sva_bind() callback was never used as driver data: IDXD passed a pointer\n' +
          'to a VT-d private flag through it, and VT-d read it back with a cast.',
        'Replace it with unsigned int flags. Callers that passed NULL pass 0, IDXD\n' +
          'passes IOMMU_SVA_BIND_SUPERVISOR by value, VT-d tests the flag directly,\n' +
          'and SMMUv3, which does not support supervisor PASIDs, now rejects any\n' +
          'flag instead of ignoring it. The signature changes in one patch with\n' +
          'every caller and implementation, so that each step builds.',
      ],
    },
    {
      id: 'remove-unused',
      subject: 'iommu/vt-d: Remove SVM_FLAG_SUPERVISOR_MODE',
      body: ['Nothing uses the VT-d private flag any more: remove it, and the\n' + 'include of linux/intel-svm.h where nothing else from it is used.'],
    },
  ],
});

/** The step ids above: an edit's `step` must be one of them (a type error otherwise). */
export type FlagStep = StepOf<typeof meta>;

/** The API's names. */
export const API = 'iommu_sva_bind_device';
export const OPS_FIELD = 'sva_bind';
export const OPS_STRUCT = 'iommu_ops';
export const NEW_PARAM_TYPE = 'unsigned int';
export const NEW_PARAM_NAME = 'flags';

/** Old VT-d private flags and their generic replacements. */
export const FLAG_MAP: Readonly<Record<string, string>> = {
  SVM_FLAG_SUPERVISOR_MODE: 'IOMMU_SVA_BIND_SUPERVISOR',
};
export const OLD_FLAG_PREFIX = 'SVM_FLAG_';
export const NEW_FLAG_PREFIX = 'IOMMU_SVA_BIND_';

/** Where the old flags live and where the new define goes. */
export const OLD_FLAG_HEADER = 'include/linux/intel-svm.h';
export const OLD_FLAG_INCLUDE = 'linux/intel-svm.h';
/** The new define goes right after this one, in the file that declares the API. */
export const NEW_DEFINE_ANCHOR = 'IOMMU_PASID_INVALID';
export const NEW_DEFINE_NAME = 'IOMMU_SVA_BIND_SUPERVISOR';
export const NEW_DEFINE_TEXT =
  '\n' +
  '/*\n' +
  ' * IOMMU_SVA_BIND_SUPERVISOR: bind a supervisor PASID. With it the device may\n' +
  " * access the kernel's static 1:1 mapping of physical memory only, not vmalloc\n" +
  ' * or module mappings, and no IOTLB flush is done automatically for kernel\n' +
  ' * mappings. The flag is platform specific: not every IOMMU driver supports it.\n' +
  ' */\n' +
  '#define IOMMU_SVA_BIND_SUPERVISOR\tBIT(0)\n';

/** The kernel-doc line for the new parameter. */
export const KERNEL_DOC_FLAGS = '@flags: IOMMU_SVA_BIND_* flags for the bond, or 0';
