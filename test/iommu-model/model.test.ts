// The model against the kernel source it was written from. Each test names
// the file and function whose behaviour it pins down (Linux 6.1, Debian's
// linux-source-6.1, plus the upstream "Tighten SVA bind API with explicit
// flags" series for the flags era).
import { describe, expect, it } from 'vitest';
import {
  DRVDATA_ERA,
  FLAGS_ERA,
  IOMMU_PASID_INVALID,
  ModelUsageError,
  SvaSystem,
  describeOutcome,
  sameOutcome,
  type ApiEra,
  type BindOutcome,
  type DeviceSpec,
  type IommuDriverSpec,
  type KernelConfig,
} from '../../iommu-model/model.js';

const CURRENT = { name: 'current->mm' };
const OTHER = { name: 'other->mm' };
const SUPERVISOR = 1; // SVM_FLAG_SUPERVISOR_MODE and IOMMU_SVA_BIND_SUPERVISOR are both BIT(0)

function system(era: ApiEra, driver: IommuDriverSpec, config: Partial<KernelConfig> = {}) {
  return new SvaSystem({ era, driver, config });
}

function device(sys: SvaSystem, over: Partial<DeviceSpec> = {}): DeviceSpec {
  return sys.addDevice({ name: over.name ?? 'dev0', svaEnabled: true, groupSize: 1, ...over });
}

function errno(o: BindOutcome): string | undefined {
  return o.type === 'error' ? o.errno : undefined;
}

const vtd = (srs = true): IommuDriverSpec => ({ kind: 'vtd', srs });
const smmu = (stage1 = true): IommuDriverSpec => ({ kind: 'smmuv3', stage1 });

describe('drivers/iommu/iommu.c: iommu_sva_bind_device() — the core checks', () => {
  it('returns -ENODEV when the driver has no sva_bind (if (!ops->sva_bind))', () => {
    const sys = system(DRVDATA_ERA, { kind: 'no-sva' });
    const o = sys.iommu_sva_bind_device(device(sys), CURRENT, null);
    expect(o).toMatchObject({ type: 'error', errno: '-ENODEV', check: 'core.no-sva-bind-op' });
  });

  it('returns -ENODEV when the device has no IOMMU group (iommu_group_get() == NULL)', () => {
    const sys = system(DRVDATA_ERA, vtd());
    expect(errno(sys.iommu_sva_bind_device(device(sys, { groupSize: null }), CURRENT, null))).toBe('-ENODEV');
  });

  it("returns -EOPNOTSUPP on x86 with Debian's backport (if (IS_ENABLED(CONFIG_X86)))", () => {
    const sys = system(DRVDATA_ERA, vtd(), { x86SvaBackport: true });
    const o = sys.iommu_sva_bind_device(device(sys), CURRENT, null);
    expect(o).toMatchObject({ errno: '-EOPNOTSUPP', check: 'core.x86-backport' });
  });

  it('checks the group before the x86 backport: a device without a group still gets -ENODEV', () => {
    const sys = system(DRVDATA_ERA, vtd(), { x86SvaBackport: true });
    expect(errno(sys.iommu_sva_bind_device(device(sys, { groupSize: null }), CURRENT, null))).toBe('-ENODEV');
  });

  it('returns -EINVAL for a group of more than one device (iommu_group_device_count(group) != 1)', () => {
    const sys = system(FLAGS_ERA, smmu());
    const o = sys.iommu_sva_bind_device(device(sys, { groupSize: 2 }), CURRENT, 0);
    expect(o).toMatchObject({ errno: '-EINVAL', check: 'core.group-size' });
  });

  it('returns -ENODEV from the CONFIG_IOMMU_API=n stub in include/linux/iommu.h', () => {
    const sys = system(FLAGS_ERA, vtd(), { iommuApi: false });
    expect(sys.iommu_sva_bind_device(device(sys), CURRENT, 0)).toMatchObject({ errno: '-ENODEV', check: 'stub.no-iommu-api' });
  });

  it('refuses a third argument of the other era (a model misuse, not a kernel behaviour)', () => {
    const sys = system(FLAGS_ERA, vtd());
    expect(() => sys.iommu_sva_bind_device(device(sys), CURRENT, null)).toThrow(ModelUsageError);
    const old = system(DRVDATA_ERA, vtd());
    expect(() => old.iommu_sva_bind_device(device(old), CURRENT, 1)).toThrow(ModelUsageError);
  });
});

describe('drivers/iommu/intel/svm.c: intel_svm_bind() — drvdata era', () => {
  it('binds the caller mm as a user PASID when drvdata is NULL (flags = 0)', () => {
    const sys = system(DRVDATA_ERA, vtd());
    const o = sys.iommu_sva_bind_device(device(sys), CURRENT, null);
    expect(o).toMatchObject({ type: 'binding', kind: 'user', addressSpace: 'current->mm', pasid: 1 });
  });

  it('reads *(unsigned int *)drvdata: SVM_FLAG_SUPERVISOR_MODE with a NULL mm binds init_mm', () => {
    const sys = system(DRVDATA_ERA, vtd(true));
    const o = sys.iommu_sva_bind_device(device(sys), null, { pointee: SUPERVISOR });
    expect(o).toMatchObject({ type: 'binding', kind: 'supervisor', addressSpace: 'init_mm' });
  });

  it('a drvdata pointing at 0 is the same as NULL drvdata', () => {
    const sys = system(DRVDATA_ERA, vtd());
    expect(sys.iommu_sva_bind_device(device(sys), CURRENT, { pointee: 0 })).toMatchObject({ kind: 'user', addressSpace: 'current->mm' });
  });

  it('only the supervisor bit matters: other bits of *drvdata are stored in svm->flags and ignored', () => {
    const sys = system(DRVDATA_ERA, vtd());
    expect(sys.iommu_sva_bind_device(device(sys), CURRENT, { pointee: 0x2 })).toMatchObject({ kind: 'user' });
  });

  it('returns -EOPNOTSUPP for a supervisor bind without ecap SRS (!ecap_srs(iommu->ecap))', () => {
    const sys = system(DRVDATA_ERA, vtd(false));
    const o = sys.iommu_sva_bind_device(device(sys), null, { pointee: SUPERVISOR });
    expect(o).toMatchObject({ errno: '-EOPNOTSUPP', check: 'vtd.supervisor-without-srs' });
  });

  it('returns -EINVAL for a supervisor bind with a user mm ("Supervisor PASID with user provided mm")', () => {
    const sys = system(DRVDATA_ERA, vtd(true));
    const o = sys.iommu_sva_bind_device(device(sys), CURRENT, { pointee: SUPERVISOR });
    expect(o).toMatchObject({ errno: '-EINVAL', check: 'vtd.supervisor-with-mm' });
  });

  it('checks SRS before the mm: without SRS a supervisor bind with an mm is -EOPNOTSUPP', () => {
    const sys = system(DRVDATA_ERA, vtd(false));
    expect(errno(sys.iommu_sva_bind_device(device(sys), CURRENT, { pointee: SUPERVISOR }))).toBe('-EOPNOTSUPP');
  });

  it('oopses on a user bind with a NULL mm (iommu-sva-lib.c: iommu_sva_alloc_pasid reads mm->pasid)', () => {
    const sys = system(DRVDATA_ERA, vtd());
    const o = sys.iommu_sva_bind_device(device(sys), null, null);
    expect(o.type).toBe('fault');
    expect(describeOutcome(o)).toContain('iommu_sva_alloc_pasid');
  });

  it('does not check the SVA feature at bind time (6.1 intel_svm_bind has no such check)', () => {
    const sys = system(DRVDATA_ERA, vtd());
    expect(sys.iommu_sva_bind_device(device(sys, { svaEnabled: false }), CURRENT, null)).toMatchObject({ type: 'binding' });
  });
});

describe('drivers/iommu/intel/svm.c: intel_svm_bind() — flags era', () => {
  it('tests flags & IOMMU_SVA_BIND_SUPERVISOR directly', () => {
    const sys = system(FLAGS_ERA, vtd(true));
    expect(sys.iommu_sva_bind_device(device(sys), null, SUPERVISOR)).toMatchObject({ kind: 'supervisor', addressSpace: 'init_mm' });
  });

  it('uses the era’s own supervisor bit', () => {
    const sys = system({ kind: 'flags', supervisorFlag: 0x4 }, vtd(true));
    expect(sys.iommu_sva_bind_device(device(sys), CURRENT, 0x1)).toMatchObject({ kind: 'user' });
    expect(sys.iommu_sva_bind_device(device(sys, { name: 'dev1' }), null, 0x4)).toMatchObject({ kind: 'supervisor' });
  });

  it('behaves as the drvdata era did for the same flag word', () => {
    for (const srs of [true, false]) {
      for (const mm of [null, CURRENT]) {
        for (const word of [0, 1, 2, 3]) {
          const a = system(DRVDATA_ERA, vtd(srs));
          const b = system(FLAGS_ERA, vtd(srs));
          const before = a.iommu_sva_bind_device(device(a), mm, word === 0 ? null : { pointee: word });
          const after = b.iommu_sva_bind_device(device(b), mm, word);
          expect(sameOutcome(before, after), `srs=${srs} mm=${mm?.name} flags=${word}`).toBe(true);
        }
      }
    }
  });
});

describe('drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-sva.c: arm_smmu_sva_bind()', () => {
  it('ignores drvdata in the drvdata era: a supervisor request binds the user mm', () => {
    const sys = system(DRVDATA_ERA, smmu());
    expect(sys.iommu_sva_bind_device(device(sys), CURRENT, { pointee: SUPERVISOR })).toMatchObject({ kind: 'user', addressSpace: 'current->mm' });
  });

  it('refuses any flag in the flags era (if (flags) return ERR_PTR(-EINVAL))', () => {
    const sys = system(FLAGS_ERA, smmu());
    for (const flags of [1, 2, 0x80000000]) {
      expect(sys.iommu_sva_bind_device(device(sys, { name: `d${flags}` }), CURRENT, flags)).toMatchObject({ errno: '-EINVAL', check: 'smmuv3.flags-unsupported' });
    }
  });

  it('checks the flags before the domain stage and the SVA feature', () => {
    const sys = system(FLAGS_ERA, smmu(false));
    expect(sys.iommu_sva_bind_device(device(sys, { svaEnabled: false }), CURRENT, 1)).toMatchObject({ check: 'smmuv3.flags-unsupported' });
  });

  it('returns -EINVAL without a stage-1 domain (smmu_domain->stage != ARM_SMMU_DOMAIN_S1)', () => {
    const sys = system(FLAGS_ERA, smmu(false));
    expect(sys.iommu_sva_bind_device(device(sys), CURRENT, 0)).toMatchObject({ errno: '-EINVAL', check: 'smmuv3.not-stage1' });
  });

  it('returns -ENODEV when SVA is not enabled (__arm_smmu_sva_bind: !master->sva_enabled)', () => {
    const sys = system(DRVDATA_ERA, smmu());
    expect(sys.iommu_sva_bind_device(device(sys, { svaEnabled: false }), CURRENT, null)).toMatchObject({ errno: '-ENODEV', check: 'smmuv3.sva-disabled' });
  });

  it('oopses on a NULL mm (iommu_sva_alloc_pasid(mm, ...) reads mm->pasid)', () => {
    const sys = system(DRVDATA_ERA, smmu());
    expect(sys.iommu_sva_bind_device(device(sys), null, null).type).toBe('fault');
  });
});

describe('PASIDs and bonds: iommu-sva-lib.c iommu_sva_alloc_pasid(), bond reuse, unbind, get_pasid', () => {
  it('gives an mm one PASID for every device (mm->pasid is reused)', () => {
    const sys = system(FLAGS_ERA, vtd());
    const a = sys.iommu_sva_bind_device(device(sys, { name: 'a' }), CURRENT, 0);
    const b = sys.iommu_sva_bind_device(device(sys, { name: 'b' }), CURRENT, 0);
    const c = sys.iommu_sva_bind_device(device(sys, { name: 'c' }), OTHER, 0);
    expect([a, b, c].map((o) => (o.type === 'binding' ? o.pasid : -1))).toEqual([1, 1, 2]);
  });

  it('reuses the bond for the same device and mm with a reference count (SMMUv3: refcount_inc(&bond->refs))', () => {
    const sys = system(FLAGS_ERA, smmu());
    const dev = device(sys);
    const first = sys.iommu_sva_bind_device(dev, CURRENT, 0);
    const second = sys.iommu_sva_bind_device(dev, CURRENT, 0);
    expect(first.type === 'binding' && second.type === 'binding' && first.handle.id === second.handle.id).toBe(true);
    expect(sys.liveBonds()).toEqual([{ device: 'dev0', addressSpace: 'current->mm', refs: 2 }]);
  });

  it('reuses the bond on VT-d too (intel_svm_bind_mm: sdev->users++)', () => {
    const sys = system(DRVDATA_ERA, vtd());
    const dev = device(sys);
    sys.iommu_sva_bind_device(dev, null, { pointee: SUPERVISOR });
    sys.iommu_sva_bind_device(dev, null, { pointee: SUPERVISOR });
    expect(sys.liveBonds()).toEqual([{ device: 'dev0', addressSpace: 'init_mm', refs: 2 }]);
  });

  it('drops the bond with its last reference; the PASID stays with the mm (iommu_sva_unbind_device)', () => {
    const sys = system(FLAGS_ERA, vtd());
    const dev = device(sys);
    const first = sys.iommu_sva_bind_device(dev, CURRENT, 0);
    sys.iommu_sva_bind_device(dev, CURRENT, 0);
    if (first.type !== 'binding') throw new Error('expected a binding');
    sys.iommu_sva_unbind_device(first.handle);
    expect(sys.liveBonds()[0]?.refs).toBe(1);
    sys.iommu_sva_unbind_device(first.handle);
    expect(sys.liveBonds()).toEqual([]);
    expect(sys.pasidOf('current->mm')).toBe(1);
    expect(() => sys.iommu_sva_unbind_device(first.handle)).toThrow(ModelUsageError);
  });

  it('iommu_sva_get_pasid() returns the bond’s PASID, or IOMMU_PASID_INVALID without sva_get_pasid', () => {
    const sys = system(FLAGS_ERA, smmu());
    const o = sys.iommu_sva_bind_device(device(sys), CURRENT, 0);
    if (o.type !== 'binding') throw new Error('expected a binding');
    expect(sys.iommu_sva_get_pasid(o.handle)).toBe(1);
    const stub = system(FLAGS_ERA, vtd(), { iommuApi: false });
    expect(stub.iommu_sva_get_pasid(o.handle)).toBe(IOMMU_PASID_INVALID);
  });

  it('returns -ENOMEM when the PASID space is exhausted (ioasid_alloc fails)', () => {
    const sys = system(FLAGS_ERA, vtd());
    // VT-d passes max_pasid - 1 as the inclusive maximum: 4 PASIDs → 1..3.
    const spec = { maxPasids: 4 };
    const results = ['a', 'b', 'c', 'd'].map((mm, i) => sys.iommu_sva_bind_device(device(sys, { name: `d${i}`, ...spec }), { name: mm }, 0));
    expect(results.map((o) => (o.type === 'binding' ? o.pasid : errno(o)))).toEqual([1, 2, 3, '-ENOMEM']);
  });

  it("returns -EOVERFLOW when the mm's PASID is beyond the device's range (mm->pasid >= max)", () => {
    const sys = system(FLAGS_ERA, vtd());
    for (let i = 0; i < 5; i++) sys.iommu_sva_bind_device(device(sys, { name: `big${i}` }), { name: `mm${i}` }, 0);
    const small = device(sys, { name: 'small', maxPasids: 4 });
    expect(sys.iommu_sva_bind_device(small, { name: 'mm4' }, 0)).toMatchObject({ errno: '-EOVERFLOW' });
  });
});

describe('outcomes', () => {
  it('compare by error code, or by binding kind and address space, not by PASID', () => {
    const a = system(FLAGS_ERA, vtd());
    const b = system(FLAGS_ERA, vtd());
    b.iommu_sva_bind_device(device(b, { name: 'x' }), OTHER, 0);
    const oa = a.iommu_sva_bind_device(device(a), CURRENT, 0);
    const ob = b.iommu_sva_bind_device(device(b), CURRENT, 0);
    expect(sameOutcome(oa, ob)).toBe(true);
    expect(describeOutcome(ob)).toBe('user binding of current->mm (PASID 2)');
  });
});
