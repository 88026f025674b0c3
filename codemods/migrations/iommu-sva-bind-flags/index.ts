// iommu-sva-bind-flags: the migration as data plus small steps.
import { wordOccurrences } from '../../c/index.js';
import type { Migration } from '../../engine/migration.js';
import { createFacts, discover, type Facts } from './facts.js';
import { messages, type MessageCode } from './messages.js';
import { meta, NEW_DEFINE_NAME, NEW_FLAG_PREFIX, OLD_FLAG_PREFIX, OPS_FIELD } from './meta.js';

/** Sites that show the API before the migration: a signature with void *, a call passing a pointer. */
const OLD_ERA = new Set<string>([
  'signature',
  'call-null',
  'call-local-folded',
  'call-pass-value',
  'call-forward',
  'call-pointer-arg',
  'call-field-type',
  'drvdata-used',
] satisfies MessageCode[]);
/** Sites that show the API after it: unsigned int flags, flags passed by value. */
const NEW_ERA = new Set<string>(['signature-already-flags', 'call-already-flags'] satisfies MessageCode[]);
import { oldFlagNames, residualFlagUses, rewriteFile } from './rewrite.js';

export const iommuSvaBindFlags: Migration<Facts> = {
  meta,
  codes: messages,
  // Any file that can hold the API: the ops member (and every implementation
  // whose name contains it), `iommu_sva` (the API's name, and the return type
  // of every function pointer of the old type), the old flags (as whole words,
  // like oldFlagNames: amdkfd's KFD_IOCTL_SVM_FLAG_* are no concern of ours).
  // Files that only include the old header need no change unless they use an
  // old flag.
  needles: [OPS_FIELD, 'iommu_sva', `\\b${OLD_FLAG_PREFIX}`],
  nameHints: ['bind'],
  createFacts,
  discover,
  extraNeedles: (facts) => Object.keys(facts.implementations),
  isDeferred: (path, facts) => path === facts.oldFlagHeader,
  rewrite: rewriteFile,
  eraOf: (site) => (OLD_ERA.has(site.code) ? 'old' : NEW_ERA.has(site.code) ? 'new' : undefined),
  flagPrefixes: [OLD_FLAG_PREFIX, NEW_FLAG_PREFIX],
  definedNames: [NEW_DEFINE_NAME],
  // A file that is not UTF-8 stays as it is: every old flag it names is still used.
  afterUnreadable(path, bytes, facts) {
    const text = Buffer.from(bytes).toString('latin1');
    for (const name of oldFlagNames(text)) {
      for (const off of wordOccurrences(text, name)) (facts.residual[name] ??= []).push(`${path}:${text.slice(0, off).split('\n').length}`);
    }
  },
  afterRewrite(file, result, facts, applied) {
    for (const [name, where] of Object.entries(residualFlagUses(file, result.edits, applied))) {
      (facts.residual[name] ??= []).push(...where);
    }
  },
};

