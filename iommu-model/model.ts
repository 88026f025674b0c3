// An executable model of the IOMMU SVA bind API, in both of its eras.
//
// Written from Linux 6.1 (Debian linux-source-6.1) and the upstream series
// "iommu/sva: Tighten SVA bind API with explicit flags". Each operation keeps
// the kernel's name and cites the function it models, so that a reader can
// hold the two side by side:
//
//   iommu_sva_bind_device()    drivers/iommu/iommu.c
//   iommu_sva_unbind_device()  drivers/iommu/iommu.c
//   iommu_sva_get_pasid()      drivers/iommu/iommu.c
//   intel_svm_bind()           drivers/iommu/intel/svm.c      (VT-d)
//   arm_smmu_sva_bind()        drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-sva.c
//   iommu_sva_alloc_pasid()    drivers/iommu/iommu-sva-lib.c
//
// The model keeps what a caller can observe: which error comes back, or
// which kind of binding (supervisor or user) of which address space, under
// which PASID; and when the kernel would dereference a NULL pointer instead,
// a fault. Locks, page tables, notifiers and IOTLB flushes are not modelled.

/** The error codes the modelled functions return, as ERR_PTR(-E...). */
export type Errno = '-ENODEV' | '-EINVAL' | '-EOPNOTSUPP' | '-ENOMEM' | '-EOVERFLOW';

/** include/linux/iommu.h: `#define IOMMU_PASID_INVALID (-1U)`. */
export const IOMMU_PASID_INVALID = 0xffff_ffff;

/** drivers/iommu/intel/pasid.h: `#define PASID_MIN 0x1` (SMMUv3 passes 1 as well). */
export const PASID_MIN = 1;

/**
 * Which API the tree has, and the bit its VT-d driver tests for a
 * supervisor bind: `SVM_FLAG_SUPERVISOR_MODE` (include/linux/intel-svm.h) in
 * the drvdata era, `IOMMU_SVA_BIND_SUPERVISOR` (include/linux/iommu.h) in the
 * flags era. Both are BIT(0) in the kernel; the checker reads them from each
 * tree.
 */
export interface ApiEra {
  kind: 'drvdata' | 'flags';
  supervisorFlag: number;
}

export const DRVDATA_ERA: ApiEra = { kind: 'drvdata', supervisorFlag: 1 };
export const FLAGS_ERA: ApiEra = { kind: 'flags', supervisorFlag: 1 };

/**
 * An `mm_struct *`: NULL, or an address space named as the C names it
 * (`current->mm`, `init_mm`, or a variable such as `ctx->mm`). Two pointers
 * with the same name are the same mm.
 */
export type MmPointer = null | { name: string };

export const INIT_MM: { name: string } = { name: 'init_mm' };

/**
 * The drvdata era's `void *drvdata`: NULL, or a pointer to memory whose
 * first four bytes are `pointee` when read as `*(unsigned int *)drvdata`.
 */
export type DrvdataPointer = null | { pointee: number; describe?: string };

/** The third argument of a bind: the era decides which kind. */
export type BindArgument = DrvdataPointer | number;

/** A PCI-ish device behind an IOMMU. */
export interface DeviceSpec {
  name: string;
  /** iommu_dev_enable_feature(dev, IOMMU_DEV_FEAT_SVA) succeeded. */
  svaEnabled: boolean;
  /** Number of devices in its IOMMU group; null when the device has no group. */
  groupSize: number | null;
  /** PASIDs the device supports (VT-d: pci_max_pasids(); SMMUv3: 1 << ssid_bits). */
  maxPasids?: number;
}

/**
 * The IOMMU driver behind the device.
 * - `vtd`: Intel VT-d; `srs` is ecap_srs(iommu->ecap), Supervisor Request Support.
 * - `smmuv3`: Arm SMMUv3; `stage1` is smmu_domain->stage == ARM_SMMU_DOMAIN_S1.
 * - `no-sva`: a driver whose iommu_ops has no `sva_bind` (AMD, in 6.1).
 */
export type IommuDriverSpec =
  | { kind: 'vtd'; srs: boolean }
  | { kind: 'smmuv3'; stage1: boolean }
  | { kind: 'no-sva' };

export interface KernelConfig {
  /** CONFIG_IOMMU_API; when off, include/linux/iommu.h's static inline stubs are used. */
  iommuApi: boolean;
  /**
   * Debian's backport in iommu_sva_bind_device():
   * `if (IS_ENABLED(CONFIG_X86)) return ERR_PTR(-EOPNOTSUPP);`.
   * True when the kernel is built for x86 with that check present.
   */
  x86SvaBackport: boolean;
}

export const DEFAULT_CONFIG: KernelConfig = { iommuApi: true, x86SvaBackport: false };

/** A stable name for each check that can fail a bind (for reports and declared changes). */
export type FailedCheck =
  | 'stub.no-iommu-api'
  | 'core.no-sva-bind-op'
  | 'core.no-group'
  | 'core.x86-backport'
  | 'core.group-size'
  | 'vtd.supervisor-without-srs'
  | 'vtd.supervisor-with-mm'
  | 'smmuv3.flags-unsupported'
  | 'smmuv3.not-stage1'
  | 'smmuv3.sva-disabled'
  | 'pasid.out-of-range'
  | 'pasid.exhausted';

export interface BindError {
  type: 'error';
  errno: Errno;
  check: FailedCheck;
  /** `file:function` of the return statement. */
  where: string;
}

export interface SvaHandle {
  readonly id: number;
  readonly device: string;
  readonly addressSpace: string;
  readonly kind: 'supervisor' | 'user';
  readonly pasid: number;
}

export interface Binding {
  type: 'binding';
  kind: 'supervisor' | 'user';
  addressSpace: string;
  pasid: number;
  handle: SvaHandle;
}

/** The kernel would oops: a NULL pointer is dereferenced. */
export interface BindFault {
  type: 'fault';
  why: string;
  where: string;
}

export type BindOutcome = BindError | Binding | BindFault;

/** Thrown when the model is used in a way the kernel forbids (a stale handle). */
export class ModelUsageError extends Error {}

const IOMMU_C = 'drivers/iommu/iommu.c';
const IOMMU_H = 'include/linux/iommu.h';
const INTEL_SVM_C = 'drivers/iommu/intel/svm.c';
const SMMU_SVA_C = 'drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-sva.c';
const SVA_LIB_C = 'drivers/iommu/iommu-sva-lib.c';

interface Bond {
  handle: SvaHandle;
  refs: number;
}

/**
 * One kernel: a configuration, one IOMMU driver, the devices behind it, the
 * PASID allocator, and the bonds between devices and address spaces.
 */
export class SvaSystem {
  readonly era: ApiEra;
  readonly driver: IommuDriverSpec;
  readonly config: KernelConfig;
  private readonly devices = new Map<string, DeviceSpec>();
  /** mm->pasid: a PASID, once allocated, stays with its mm for the mm's lifetime. */
  private readonly mmPasid = new Map<string, number>();
  private readonly allocated = new Set<number>();
  /** Bonds keyed by device and mm: VT-d's intel_svm_dev, SMMUv3's arm_smmu_bond. */
  private readonly bonds = new Map<string, Bond>();
  private nextHandleId = 1;

  constructor(opts: { era: ApiEra; driver: IommuDriverSpec; config?: Partial<KernelConfig> }) {
    this.era = opts.era;
    this.driver = opts.driver;
    this.config = { ...DEFAULT_CONFIG, ...opts.config };
  }

  addDevice(spec: DeviceSpec): DeviceSpec {
    if (this.devices.has(spec.name)) throw new ModelUsageError(`device ${spec.name} already exists`);
    const dev = { ...spec };
    this.devices.set(dev.name, dev);
    return dev;
  }

  /** The PASID bound to an address space, if one was allocated (mm->pasid). */
  pasidOf(mm: string): number | undefined {
    return this.mmPasid.get(mm);
  }

  /** Live bonds, as [device, address space, reference count]. */
  liveBonds(): Array<{ device: string; addressSpace: string; refs: number }> {
    return [...this.bonds.values()].map((b) => ({ device: b.handle.device, addressSpace: b.handle.addressSpace, refs: b.refs }));
  }

  /**
   * drivers/iommu/iommu.c: iommu_sva_bind_device(), and its CONFIG_IOMMU_API=n
   * stub in include/linux/iommu.h.
   */
  iommu_sva_bind_device(dev: DeviceSpec, mm: MmPointer, arg: BindArgument): BindOutcome {
    this.checkArgument(arg);
    // include/linux/iommu.h (#else of CONFIG_IOMMU_API): return ERR_PTR(-ENODEV);
    if (!this.config.iommuApi) return error('-ENODEV', 'stub.no-iommu-api', `${IOMMU_H}:iommu_sva_bind_device`);
    const where = `${IOMMU_C}:iommu_sva_bind_device`;
    // if (!ops->sva_bind) return ERR_PTR(-ENODEV);
    if (this.driver.kind === 'no-sva') return error('-ENODEV', 'core.no-sva-bind-op', where);
    // group = iommu_group_get(dev); if (!group) return ERR_PTR(-ENODEV);
    if (dev.groupSize === null) return error('-ENODEV', 'core.no-group', where);
    // Debian: if (IS_ENABLED(CONFIG_X86)) return ERR_PTR(-EOPNOTSUPP);
    if (this.config.x86SvaBackport) return error('-EOPNOTSUPP', 'core.x86-backport', where);
    // if (iommu_group_device_count(group) != 1) goto out_unlock;  (handle = ERR_PTR(-EINVAL))
    if (dev.groupSize !== 1) return error('-EINVAL', 'core.group-size', where);
    // handle = ops->sva_bind(dev, mm, drvdata);   (flags, in the flags era)
    return this.driver.kind === 'vtd' ? this.intel_svm_bind(dev, mm, arg) : this.arm_smmu_sva_bind(dev, mm, arg);
  }

  /**
   * drivers/iommu/intel/svm.c: intel_svm_bind(), with intel_svm_alloc_pasid()
   * and intel_svm_bind_mm().
   */
  intel_svm_bind(dev: DeviceSpec, mm: MmPointer, arg: BindArgument): BindOutcome {
    if (this.driver.kind !== 'vtd') throw new ModelUsageError('intel_svm_bind() on a system without VT-d');
    const where = `${INTEL_SVM_C}:intel_svm_bind`;
    let flags: number;
    if (this.era.kind === 'drvdata') {
      // unsigned int flags = 0;
      // if (drvdata) flags = *(unsigned int *)drvdata;
      const drvdata = arg as DrvdataPointer;
      flags = drvdata === null ? 0 : drvdata.pointee >>> 0;
    } else {
      flags = (arg as number) >>> 0;
    }
    let addressSpace = mm;
    const supervisor = (flags & this.era.supervisorFlag) !== 0;
    // if (flags & SVM_FLAG_SUPERVISOR_MODE) {     (IOMMU_SVA_BIND_SUPERVISOR, flags era)
    if (supervisor) {
      // if (!ecap_srs(iommu->ecap)) return ERR_PTR(-EOPNOTSUPP);
      if (!this.driver.srs) return error('-EOPNOTSUPP', 'vtd.supervisor-without-srs', where);
      // if (mm) return ERR_PTR(-EINVAL);   "Supervisor PASID with user provided mm"
      if (mm !== null) return error('-EINVAL', 'vtd.supervisor-with-mm', where);
      // mm = &init_mm;
      addressSpace = INIT_MM;
    }
    // ret = intel_svm_alloc_pasid(dev, mm, flags);
    //   → iommu_sva_alloc_pasid(mm, PASID_MIN, max_pasid - 1)
    const maxPasid = dev.maxPasids ?? 1 << 20;
    const pasid = this.iommu_sva_alloc_pasid(addressSpace, PASID_MIN, maxPasid - 1);
    if (typeof pasid !== 'number') return pasid;
    // sva = intel_svm_bind_mm(iommu, dev, mm, flags);
    //   svm = pasid_private_find(mm->pasid); sdev = svm_lookup_device_by_dev(svm, dev);
    //   if (sdev) { sdev->users++; goto success; }
    return this.bond(dev, addressSpace!, supervisor ? 'supervisor' : 'user', pasid);
  }

  /**
   * drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-sva.c: arm_smmu_sva_bind() and
   * __arm_smmu_sva_bind(). SMMUv3 has no supervisor PASIDs: in the drvdata era
   * drvdata is ignored; in the flags era any flag is refused.
   */
  arm_smmu_sva_bind(dev: DeviceSpec, mm: MmPointer, arg: BindArgument): BindOutcome {
    if (this.driver.kind !== 'smmuv3') throw new ModelUsageError('arm_smmu_sva_bind() on a system without SMMUv3');
    const where = `${SMMU_SVA_C}:arm_smmu_sva_bind`;
    // Flags era, from the tightening series: if (flags) return ERR_PTR(-EINVAL);
    if (this.era.kind === 'flags' && ((arg as number) >>> 0) !== 0) return error('-EINVAL', 'smmuv3.flags-unsupported', where);
    // if (smmu_domain->stage != ARM_SMMU_DOMAIN_S1) return ERR_PTR(-EINVAL);
    if (!this.driver.stage1) return error('-EINVAL', 'smmuv3.not-stage1', where);
    // __arm_smmu_sva_bind(): if (!master || !master->sva_enabled) return ERR_PTR(-ENODEV);
    if (!dev.svaEnabled) return error('-ENODEV', 'smmuv3.sva-disabled', `${SMMU_SVA_C}:__arm_smmu_sva_bind`);
    // list_for_each_entry(bond, &master->bonds, list) if (bond->mm == mm) { refcount_inc(&bond->refs); return &bond->sva; }
    const existing = mm === null ? undefined : this.bonds.get(bondKey(dev.name, mm.name));
    if (existing) {
      existing.refs++;
      return bindingOf(existing.handle);
    }
    // ret = iommu_sva_alloc_pasid(mm, 1, (1U << master->ssid_bits) - 1);
    const maxPasid = dev.maxPasids ?? 1 << 20;
    const pasid = this.iommu_sva_alloc_pasid(mm, 1, maxPasid - 1);
    if (typeof pasid !== 'number') return pasid;
    return this.bond(dev, mm!, 'user', pasid);
  }

  /**
   * drivers/iommu/iommu-sva-lib.c: iommu_sva_alloc_pasid(). Reuses mm->pasid
   * when it fits the device's range, else allocates the lowest free PASID.
   */
  iommu_sva_alloc_pasid(mm: MmPointer, min: number, max: number): number | BindError | BindFault {
    const where = `${SVA_LIB_C}:iommu_sva_alloc_pasid`;
    // if (min == INVALID_IOASID || max == INVALID_IOASID || min == 0 || max < min) return -EINVAL;
    // (never taken by the two drivers: they pass min = 1 and max >= 1)
    // if (pasid_valid(mm->pasid))   — mm is dereferenced here
    if (mm === null) return { type: 'fault', why: 'NULL mm dereferenced (mm->pasid)', where };
    const current = this.mmPasid.get(mm.name);
    if (current !== undefined) {
      // if (mm->pasid < min || mm->pasid >= max) ret = -EOVERFLOW;
      if (current < min || current >= max) return error('-EOVERFLOW', 'pasid.out-of-range', where);
      return current;
    }
    // pasid = ioasid_alloc(&iommu_sva_pasid, min, max, mm); if (!pasid_valid(pasid)) ret = -ENOMEM;
    for (let p = min; p <= max; p++) {
      if (!this.allocated.has(p)) {
        this.allocated.add(p);
        this.mmPasid.set(mm.name, p);
        return p;
      }
    }
    return error('-ENOMEM', 'pasid.exhausted', where);
  }

  /**
   * drivers/iommu/iommu.c: iommu_sva_unbind_device(), then the driver's
   * sva_unbind (intel_svm_unbind() / arm_smmu_sva_unbind()): drop one
   * reference; the bond goes away with the last one. The PASID stays with
   * the mm (it is freed when the mm is).
   */
  iommu_sva_unbind_device(handle: SvaHandle): void {
    // CONFIG_IOMMU_API=n stub: nothing. if (!ops->sva_unbind) return;
    if (!this.config.iommuApi || this.driver.kind === 'no-sva') return;
    const dev = this.devices.get(handle.device);
    // group = iommu_group_get(dev); if (!group) return;
    if (!dev || dev.groupSize === null) return;
    const key = bondKey(handle.device, handle.addressSpace);
    const bond = this.bonds.get(key);
    if (!bond || bond.handle.id !== handle.id) throw new ModelUsageError(`handle ${handle.id} was already released (use after free)`);
    // VT-d: sdev->users--; SMMUv3: refcount_dec_and_test(&bond->refs)
    bond.refs--;
    if (bond.refs === 0) this.bonds.delete(key);
  }

  /** drivers/iommu/iommu.c: iommu_sva_get_pasid(), then intel_svm_get_pasid() / arm_smmu_sva_get_pasid(). */
  iommu_sva_get_pasid(handle: SvaHandle): number {
    // CONFIG_IOMMU_API=n stub, or if (!ops->sva_get_pasid): return IOMMU_PASID_INVALID;
    if (!this.config.iommuApi || this.driver.kind === 'no-sva') return IOMMU_PASID_INVALID;
    const bond = this.bonds.get(bondKey(handle.device, handle.addressSpace));
    if (!bond || bond.handle.id !== handle.id) throw new ModelUsageError(`handle ${handle.id} was already released (use after free)`);
    return bond.handle.pasid;
  }

  private bond(dev: DeviceSpec, mm: { name: string }, kind: 'supervisor' | 'user', pasid: number): Binding {
    const key = bondKey(dev.name, mm.name);
    const existing = this.bonds.get(key);
    if (existing) {
      existing.refs++;
      return bindingOf(existing.handle);
    }
    const handle: SvaHandle = { id: this.nextHandleId++, device: dev.name, addressSpace: mm.name, kind, pasid };
    this.bonds.set(key, { handle, refs: 1 });
    return bindingOf(handle);
  }

  private checkArgument(arg: BindArgument): void {
    const isFlags = typeof arg === 'number';
    if (this.era.kind === 'flags' && !isFlags) throw new ModelUsageError('the flags era takes an unsigned int, not a pointer');
    if (this.era.kind === 'drvdata' && isFlags) throw new ModelUsageError('the drvdata era takes a pointer (null or { pointee }), not an integer');
  }
}

function bondKey(device: string, mm: string): string {
  return `${device}\u0000${mm}`;
}

function bindingOf(handle: SvaHandle): Binding {
  return { type: 'binding', kind: handle.kind, addressSpace: handle.addressSpace, pasid: handle.pasid, handle };
}

function error(errno: Errno, check: FailedCheck, where: string): BindError {
  return { type: 'error', errno, check, where };
}

/** What a caller observes, as one line: `-EINVAL`, `supervisor binding of init_mm (PASID 1)`. */
export function describeOutcome(o: BindOutcome): string {
  switch (o.type) {
    case 'error': return `${o.errno} (${o.where.split(':')[1]}: ${CHECK_DESCRIPTIONS[o.check]})`;
    case 'binding': return `${o.kind} binding of ${o.addressSpace} (PASID ${o.pasid})`;
    case 'fault': return `kernel oops: ${o.why} in ${o.where.split(':')[1]}`;
  }
}

/**
 * Observable equality: the same error code; or the same kind of binding of
 * the same address space; or both oops. (The PASID number is not compared:
 * it depends on what was allocated before, not on the call.)
 */
export function sameOutcome(a: BindOutcome, b: BindOutcome): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'error' && b.type === 'error') return a.errno === b.errno;
  if (a.type === 'binding' && b.type === 'binding') return a.kind === b.kind && a.addressSpace === b.addressSpace;
  return true;
}

export const CHECK_DESCRIPTIONS: Readonly<Record<FailedCheck, string>> = {
  'stub.no-iommu-api': 'CONFIG_IOMMU_API is off',
  'core.no-sva-bind-op': 'the IOMMU driver has no sva_bind',
  'core.no-group': 'the device is in no IOMMU group',
  'core.x86-backport': 'SVA bind disabled on x86 by the backport',
  'core.group-size': 'IOMMU group has more than one device',
  'vtd.supervisor-without-srs': 'supervisor PASID without ecap SRS',
  'vtd.supervisor-with-mm': 'supervisor PASID with a user mm',
  'smmuv3.flags-unsupported': 'flags are not supported',
  'smmuv3.not-stage1': 'domain is not stage 1',
  'smmuv3.sva-disabled': 'SVA feature not enabled',
  'pasid.out-of-range': "mm's PASID outside the device's range",
  'pasid.exhausted': 'no free PASID',
};
