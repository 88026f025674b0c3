// iommu-sva-bind-flags: migration.yaml beside this file says what the
// migration is and what the kit does; these are the TypeScript steps it
// names (`extensions:`), for what data cannot say.
import type { AnyMigration } from '../../engine/migration.js';
import { buildMigration, registeredNamesIn } from '../../kit/build.js';
import type { BundledExtensions, KitExtension } from '../../kit/extension.js';
import type { MigrationSpec } from '../../kit/spec.js';
import { createFacts, discover, mergeFacts, type Facts } from './facts.js';
import { eraOfCode, messages } from './messages.js';
import { ERA_GROUP, NEW_FLAG_PREFIX, OLD_FLAG_PREFIX, OPS_FIELD } from './meta.js';
import { FileContext } from './context.js';
import { finishFile, pastMigration, rewriteFile } from './rewrite.js';

/**
 * The SVA bind API with flags: every occurrence of the API's names (calls
 * with the dataflow fold, signatures with the drvdata read and SMMUv3's new
 * rejection, the new and the old flags), see README.md.
 */
const svaFlags: KitExtension<Facts> = {
  codes: messages,
  // Any file that can hold the API: the ops member (and every implementation
  // whose name contains it), `iommu_sva` (the API's name, and the return type
  // of every function pointer of the old type), the old flags (as whole words,
  // like oldFlagNames: amdkfd's KFD_IOCTL_SVM_FLAG_* are no concern of ours).
  needles: [OPS_FIELD, 'iommu_sva', `\\b${OLD_FLAG_PREFIX}`],
  // The kernel's two names for the feature: the kit indexes `sva_bind` (the
  // member) already, and VT-d calls it SVM (`intel_svm_bind`). A hint only
  // spares names holding it a second read of the tree; `bind` alone cost the
  // scan a window of its own (`bi`, about 600 stops per MB of kernel C) and
  // indexed thousands of names for two (bench/README.md).
  nameHints: ['svm_bind'],
  // The names a text registers in `.sva_bind` (`.sva_bind = intel_svm_bind,`), before any parse.
  namesFromText: (text) => registeredNamesIn(text, [OPS_FIELD]),
  createFacts,
  discover,
  mergeFacts,
  // A tree whose API already moved past the migration gets nothing from the kit either (no define added).
  applies: (facts) => pastMigration(facts) === null,
  rewrite: (k, facts) => rewriteFile(new FileContext(k.file, facts, k)),
  finish: (k, facts) => finishFile(new FileContext(k.file, facts, k)),
  eraOf: (site) => eraOfCode(site.code),
  // The API's sites (ERA_GROUP, printed) are one group without a name: a
  // file's sites depend on facts from other files (registrations, headers),
  // so the series validator re-checks the whole tree after each patch rather
  // than a group's files. The defines added and removed keep their own.
  eraGroup: (site) => (site.group === ERA_GROUP ? undefined : site.group),
  flagPrefixes: [OLD_FLAG_PREFIX, NEW_FLAG_PREFIX],
};

/** The steps migration.yaml may name, and the module worker threads load to build the migration again. */
export const svaBindFlagsSteps: BundledExtensions = {
  steps: { 'sva-flags': svaFlags },
  module: import.meta.url,
};

/**
 * What a worker thread calls (engine/job-run.ts, loading `module` above by
 * URL, which knip cannot follow): the same migration, with these steps.
 * @public
 */
export function workerMigration(data: unknown): AnyMigration {
  const { spec, source } = data as { spec: MigrationSpec; source: { file: string; dir: string } };
  return buildMigration(spec, source, svaBindFlagsSteps);
}
