// The API's names and texts the steps use; what the migration is (id,
// subject, rationale, steps, Kconfig) is in migration.yaml.

/**
 * The step ids migration.yaml declares (`steps:`): an edit's `step` must be
 * one of them, a type error otherwise; the kit refuses at load a YAML change
 * naming another, and test/migrations/meta.test.ts checks the two agree.
 */
export const FLAG_STEPS = ['add-flag', 'change-api', 'remove-unused'] as const;
export type FlagStep = (typeof FLAG_STEPS)[number];

/**
 * The era group of every site that shows the API's shape (Site.group): the
 * kit's changes in migration.yaml name it too (`group:`), so that the series
 * validator checks the signatures, the ops member and every call together.
 */
export const ERA_GROUP = 'sva-bind';

/** The API's names. */
export const API = 'iommu_sva_bind_device';
export const OPS_FIELD = 'sva_bind';
export const OPS_STRUCT = 'iommu_ops';
export const NEW_PARAM_NAME = 'flags';

/** Old VT-d private flags and their generic replacements. */
export const FLAG_MAP: Readonly<Record<string, string>> = {
  SVM_FLAG_SUPERVISOR_MODE: 'IOMMU_SVA_BIND_SUPERVISOR',
};
export const OLD_FLAG_PREFIX = 'SVM_FLAG_';
export const NEW_FLAG_PREFIX = 'IOMMU_SVA_BIND_';
