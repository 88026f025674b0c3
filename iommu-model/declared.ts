// Behaviour changes the iommu-sva-bind-flags migration declares. A
// difference between the model's outcomes before and after a call site is
// accepted only when one of these explains it.
import type { ApiEra, BindArgument, BindOutcome, MmPointer } from './model.js';

/** One environment the checker runs a call site in. */
export interface Environment {
  driver: 'vtd' | 'smmuv3';
  /** VT-d: ecap_srs(iommu->ecap); null for SMMUv3. */
  srs: boolean | null;
  /** SMMUv3: a stage-1 domain; null for VT-d. */
  stage1: boolean | null;
  /** iommu_dev_enable_feature(dev, IOMMU_DEV_FEAT_SVA) was called. */
  svaEnabled: boolean;
  /** Devices in the device's IOMMU group. */
  groupSize: number;
  /** Debian's `if (IS_ENABLED(CONFIG_X86)) return ERR_PTR(-EOPNOTSUPP);` is compiled in. */
  x86Backport: boolean;
  /** Values given to run-time symbols, the same on both sides: `{ "ctx->flags": "0x1", "mm": "NULL" }`. */
  symbols: Record<string, string>;
  /** Which reaching definition each side's argument took, when there were several. */
  paths: Record<string, string>;
}

/** The model's inputs for one side of a call site in one environment. */
export interface ConcreteCall {
  mm: MmPointer;
  third: BindArgument;
}

export interface DifferenceContext {
  env: Environment;
  before: BindOutcome;
  after: BindOutcome;
  beforeCall: ConcreteCall;
  afterCall: ConcreteCall;
  beforeEra: ApiEra;
  afterEra: ApiEra;
}

export interface DeclaredChange {
  /** Stable id, used in reports. */
  id: string;
  driver?: 'vtd' | 'smmuv3';
  description: string;
  matches(ctx: DifferenceContext): boolean;
}

/**
 * The flag word a side passes, as the VT-d driver would see it, split into
 * "asks for a supervisor PASID" and the other bits. The two eras spell the
 * supervisor bit differently (SVM_FLAG_SUPERVISOR_MODE, IOMMU_SVA_BIND_SUPERVISOR).
 */
export function flagMeaning(call: ConcreteCall, era: ApiEra): { supervisor: boolean; otherBits: number } {
  const word = era.kind === 'flags' ? (call.third as number) >>> 0 : call.third === null ? 0 : (call.third as { pointee: number }).pointee >>> 0;
  return { supervisor: (word & era.supervisorFlag) !== 0, otherBits: (word & ~era.supervisorFlag) >>> 0 };
}

/**
 * SMMUv3 has no supervisor PASIDs. Before, arm_smmu_sva_bind() ignored
 * drvdata, so a caller asking VT-d for a supervisor PASID got, on SMMUv3,
 * whatever the rest of the bind gave. After, `if (flags) return
 * ERR_PTR(-EINVAL);` refuses any flag. The difference is accepted when the
 * after call passes the same flags the before call passed (which SMMUv3 used
 * to ignore), and SMMUv3 now refuses them. A flag that was *not* passed
 * before is not covered: that is a new flag, not an ignored one.
 */
export const SMMUV3_REJECTS_IGNORED_FLAGS: DeclaredChange = {
  id: 'smmuv3-rejects-ignored-flags',
  driver: 'smmuv3',
  description: 'SMMUv3 now refuses with -EINVAL the flags it used to ignore (arm_smmu_sva_bind: if (flags) return ERR_PTR(-EINVAL))',
  matches({ env, after, beforeCall, afterCall, beforeEra, afterEra }) {
    if (env.driver !== 'smmuv3' || afterEra.kind !== 'flags') return false;
    if (after.type !== 'error' || after.check !== 'smmuv3.flags-unsupported') return false;
    const was = flagMeaning(beforeCall, beforeEra);
    const now = flagMeaning(afterCall, afterEra);
    return was.supervisor === now.supervisor && was.otherBits === now.otherBits;
  },
};

/** The declared changes of iommu-sva-bind-flags. */
export const DECLARED_CHANGES: readonly DeclaredChange[] = [SMMUV3_REJECTS_IGNORED_FLAGS];
