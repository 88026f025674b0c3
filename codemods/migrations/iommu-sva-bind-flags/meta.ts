// The API's names and texts the steps use; what the migration is (id,
// subject, rationale, steps, Kconfig) is in migration.yaml.
/** The API's names. */
export const API = 'iommu_sva_bind_device';
export const OPS_FIELD = 'sva_bind';
export const OPS_STRUCT = 'iommu_ops';
export const OLD_PARAM_TYPE = 'void';
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
