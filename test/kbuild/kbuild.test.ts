import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMigration } from '../../codemods/registry.js';
import {
  attributeDiagnostics,
  buildDirName,
  buildObjects,
  compareWarnings,
  crossCompileFor,
  ensureBuildTools,
  kconfigOptions,
  objectsFor,
  parseDiagnosticLine,
  parseDiagnostics,
  parseKconfig,
  planObjects,
  prepareBuild,
  readBuildConfig,
} from '../../codemods/kbuild/index.js';

const SRC = '/srv/linux';
const BUILD = '/srv/build/x86_64';

describe('parseDiagnosticLine', () => {
  it.each([
    [
      `${SRC}/drivers/dma/idxd/init.c:566:8: warning: unused variable \u2018flags\u2019 [-Wunused-variable]`,
      { file: 'drivers/dma/idxd/init.c', line: 566, column: 8, severity: 'warning', message: "unused variable 'flags' [-Wunused-variable]" },
    ],
    [
      `${SRC}/include/linux/iommu.h:12:1: error: unknown type name 'foo'`,
      { file: 'include/linux/iommu.h', line: 12, column: 1, severity: 'error', message: "unknown type name 'foo'" },
    ],
    [
      `${BUILD}/include/generated/autoconf.h:3: warning: "CONFIG_X" redefined`,
      { file: 'include/generated/autoconf.h', line: 3, severity: 'warning', message: '"CONFIG_X" redefined' },
    ],
    [
      'drivers/iommu/iommu.o: warning: objtool: iommu_foo()+0x1d: unreachable instruction',
      { file: 'drivers/iommu/iommu.o', severity: 'warning', message: 'objtool: iommu_foo()+0x1d: unreachable instruction' },
    ],
    [
      `${SRC}/drivers/x.c:1:10: fatal error: linux/nope.h: No such file or directory`,
      { file: 'drivers/x.c', line: 1, column: 10, severity: 'error', message: 'linux/nope.h: No such file or directory' },
    ],
    ['cc1: warning: command-line option ignored', { file: 'cc1', severity: 'warning', message: 'command-line option ignored' }],
  ])('%s', (line, want) => {
    expect(parseDiagnosticLine(line, { srcDir: SRC, buildDir: BUILD })).toEqual(want);
  });

  it.each([
    `${SRC}/drivers/dma/idxd/init.c: In function 'idxd_enable_system_pasid':`,
    '  566 |         int flags;',
    '      |             ^~~~~',
    'make[1]: warning: jobserver unavailable: using -j1.',
    "make[5]: *** [scripts/Makefile.build:250: drivers/x.o] Error 1",
    '  CC      drivers/dma/idxd/init.o',
    'cc1: all warnings being treated as errors',
  ])('is not a diagnostic: %s', (line) => {
    expect(parseDiagnosticLine(line, { srcDir: SRC })).toBeUndefined();
  });

  it('keeps paths outside the roots as printed', () => {
    expect(parseDiagnosticLine('/usr/include/x.h:1:2: warning: w', { srcDir: SRC })?.file).toBe('/usr/include/x.h');
  });

  it('parses a whole log in order', () => {
    const log = [`${SRC}/a.c:1:1: warning: one`, 'noise', `${SRC}/b.c:2:2: error: two`].join('\n');
    expect(parseDiagnostics(log, { srcDir: SRC }).map((d) => d.message)).toEqual(['one', 'two']);
  });
});

describe('attributeDiagnostics', () => {
  // What `make -k -j2 --output-sync=target a.o b.o c.o` prints, stdout and stderr merged.
  const log = [
    `make[1]: Entering directory '${BUILD}'`,
    '  DESCEND objtool',
    `${SRC}/scripts/checksyscalls.sh:1:1: warning: outside every object`,
    '  CC      drivers/a.o',
    `${SRC}/drivers/a.c: In function 'f':`,
    `${SRC}/drivers/a.c:10:5: warning: unused variable 'x' [-Wunused-variable]`,
    '   10 |  int x;',
    '      |      ^',
    '  CC [M]  drivers/b.o',
    `${SRC}/drivers/b.c:3:1: error: expected ';' before '}' token`,
    `make[5]: *** [${SRC}/scripts/Makefile.build:250: drivers/b.o] Error 1`,
    '  CC      drivers/unrelated.o',
    `${SRC}/drivers/unrelated.c:1:1: warning: not ours`,
    "make[3]: *** No rule to make target 'drivers/c.o'.  Stop.",
  ].join('\n');

  it('gives each object the diagnostics printed after its CC line', () => {
    const { perObject, other } = attributeDiagnostics(log, ['drivers/a.o', 'drivers/b.o', 'drivers/c.o'], { srcDir: SRC, buildDir: BUILD });
    expect(perObject.get('drivers/a.o')).toEqual({
      warnings: ["drivers/a.c:10:5: warning: unused variable 'x' [-Wunused-variable]"],
      errors: [],
      makeErrors: [],
    });
    expect(perObject.get('drivers/b.o')?.errors).toEqual(["drivers/b.c:3:1: error: expected ';' before '}' token"]);
    expect(perObject.get('drivers/b.o')?.makeErrors).toHaveLength(1);
    expect(perObject.get('drivers/c.o')?.makeErrors).toEqual(["make[3]: *** No rule to make target 'drivers/c.o'.  Stop."]);
    expect(other).toEqual([
      'scripts/checksyscalls.sh:1:1: warning: outside every object',
      'drivers/unrelated.c:1:1: warning: not ours',
    ]);
  });
});

describe('compareWarnings', () => {
  const w = (file: string, line: number, msg: string): string => `${file}:${line}:5: warning: ${msg}`;

  it('does not count a warning that only moved', () => {
    expect(compareWarnings([w('a.c', 10, 'unused x')], [w('a.c', 8, 'unused x')])).toEqual([]);
  });

  it('reports a new message, and a second copy of an old one', () => {
    const before = [w('a.c', 10, 'unused x')];
    const after = [w('a.c', 8, 'unused x'), w('a.c', 20, 'unused x'), w('a.c', 30, 'unused y')];
    expect(compareWarnings(before, after)).toEqual([w('a.c', 20, 'unused x'), w('a.c', 30, 'unused y')]);
  });

  it('tells files apart', () => {
    expect(compareWarnings([w('a.c', 1, 'm')], [w('b.c', 1, 'm')])).toEqual([w('b.c', 1, 'm')]);
  });

  it('ignores warnings that went away', () => {
    expect(compareWarnings([w('a.c', 1, 'm'), w('a.c', 2, 'n')], [])).toEqual([]);
  });
});

describe('parseKconfig and kconfigOptions', () => {
  it('reads set and unset options', () => {
    const config = parseKconfig('#\n# Linux/x86 6.1.192 Kernel Configuration\nCONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_D="x y"\n');
    expect([...config]).toEqual([
      ['A', 'y'],
      ['B', 'm'],
      ['C', 'n'],
      ['D', '"x y"'],
    ]);
  });

  it("takes a migration's options for the arch and always keeps warnings non-fatal", () => {
    const kconfig = getMigration('iommu-sva-bind-flags')!.meta.kconfig;
    expect(kconfigOptions('x86_64', kconfig)).toEqual(expect.arrayContaining(['IOMMU_SVA', 'INTEL_IOMMU_SVM', 'INTEL_IDXD', 'INTEL_IDXD_SVM', 'UACCE', 'WERROR=n']));
    expect(kconfigOptions('arm64', kconfig)).toEqual(expect.arrayContaining(['ARM_SMMU_V3', 'ARM_SMMU_V3_SVA', 'UACCE', 'WERROR=n']));
    expect(kconfigOptions('arm64', kconfig)).not.toContain('INTEL_IOMMU');
    // No kconfig, or none for this arch: defconfig with WERROR=n only.
    expect(kconfigOptions('x86_64')).toEqual(['WERROR=n']);
    expect(kconfigOptions('arm64', { x86_64: ['INTEL_IOMMU'] })).toEqual(['WERROR=n']);
  });

  it('names a build dir by arch and options: other options, another dir; order does not matter', () => {
    const a = buildDirName('x86_64', ['A', 'B=m', 'WERROR=n']);
    expect(a).toMatch(/^x86_64-[0-9a-f]{12}$/);
    expect(buildDirName('x86_64', ['WERROR=n', 'B=m', 'A'])).toBe(a);
    expect(buildDirName('x86_64', ['A', 'WERROR=n'])).not.toBe(a);
    expect(buildDirName('arm64', ['A', 'B=m', 'WERROR=n'])).toMatch(/^arm64-/);
  });

  it('cross-compiles only for the other arch', () => {
    expect(crossCompileFor('arm64', 'x64')).toBe('aarch64-linux-gnu-');
    expect(crossCompileFor('x86_64', 'x64')).toBe('');
    expect(crossCompileFor('arm64', 'arm64')).toBe('');
  });
});

describe('objectsFor', () => {
  let root = '';
  const write = (rel: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'kmigrate-kbuild-'));
    write('include/linux/api.h', '#include <linux/types.h>\nint api(void);\n');
    write('include/linux/types.h', '');
    write('include/linux/wrapper.h', '#include <linux/api.h>\n');
    write('drivers/Makefile', 'obj-y += iommu/\nobj-$(CONFIG_DMADEVICES) += dma/\n');
    write('drivers/dma/Makefile', 'obj-y += idxd/\n');
    write(
      'drivers/dma/idxd/Makefile',
      'obj-$(CONFIG_IDXD) += idxd.o\nidxd-y := init.o \\\n\tcdev.o\nidxd-$(CONFIG_PERF) += perfmon.o\n',
    );
    write('drivers/dma/idxd/idxd.h', '#include <linux/types.h>\n');
    write('drivers/dma/idxd/init.c', '#include <linux/api.h>\n#include "idxd.h"\n');
    write('drivers/dma/idxd/cdev.c', '#include "idxd.h"\n');
    write('drivers/dma/idxd/perfmon.c', '#include "idxd.h"\n');
    write('drivers/dma/idxd/other.c', '#include <linux/types.h>\n');
    write(
      'drivers/iommu/Makefile',
      'obj-y += intel/ arm/\nobj-$(CONFIG_IOMMU_API) += iommu.o\n',
    );
    write('drivers/iommu/iommu.c', '#include <linux/api.h>\n');
    write('drivers/iommu/intel/Makefile', 'ifdef CONFIG_INTEL_IOMMU\nobj-$(CONFIG_SVM) += svm.o\nendif\n');
    write('drivers/iommu/intel/svm.c', '#include <linux/wrapper.h>\n');
    write('drivers/iommu/arm/Makefile', 'obj-y += smmu/\n');
    write(
      'drivers/iommu/arm/smmu/Makefile',
      'obj-$(CONFIG_SMMU) += arm_smmu.o\narm_smmu-objs-y += smmu.o\narm_smmu-objs-$(CONFIG_SMMU_SVA) += smmu-sva.o\narm_smmu-objs := $(arm_smmu-objs-y)\n',
    );
    write('drivers/iommu/arm/smmu/smmu.c', '#include "smmu.h"\n');
    write('drivers/iommu/arm/smmu/smmu-sva.c', '#include "smmu.h"\n');
    write('drivers/iommu/arm/smmu/smmu.h', '#include <linux/api.h>\n');
    write('arch/arm64/kernel/x.c', '');
    write('arch/x86/kernel/y.c', '');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('maps changed .c files to their objects', () => {
    expect(objectsFor(['drivers/iommu/iommu.c', './drivers/dma/idxd/init.c'], 'x86_64')).toEqual([
      'drivers/dma/idxd/init.o',
      'drivers/iommu/iommu.o',
    ]);
  });

  it("leaves out another arch's files and host code", () => {
    const plan = planObjects(['arch/arm64/kernel/x.c', 'arch/x86/kernel/y.c', 'scripts/mod/modpost.c'], 'x86_64');
    expect(plan.objects).toEqual(['arch/x86/kernel/y.o']);
    expect(plan.skipped.map((s) => s.path)).toEqual(['arch/arm64/kernel/x.c', 'scripts/mod/modpost.c']);
  });

  it("maps a driver's private header to the .c files of its folder that include it", () => {
    expect(objectsFor(['drivers/dma/idxd/idxd.h'], 'x86_64', { srcDir: root })).toEqual([
      'drivers/dma/idxd/cdev.o',
      'drivers/dma/idxd/init.o',
      'drivers/dma/idxd/perfmon.o',
    ]);
  });

  it('maps a public header to the changed .c files and candidates that include it, also through other headers', () => {
    const plan = planObjects(['include/linux/api.h', 'drivers/dma/idxd/cdev.c'], 'x86_64', {
      srcDir: root,
      candidates: ['drivers/iommu/intel/svm.c', 'drivers/iommu/iommu.c', 'drivers/dma/idxd/other.c'],
    });
    // cdev.c does not include api.h but changed itself; other.c does not include it.
    expect(plan.objects).toEqual(['drivers/dma/idxd/cdev.o', 'drivers/iommu/intel/svm.o', 'drivers/iommu/iommu.o']);
  });

  it('says when no file includes a header', () => {
    const plan = planObjects(['include/linux/types.h'], 'x86_64', { srcDir: root, candidates: ['drivers/iommu/intel/svm.c'] });
    expect(plan.objects).toEqual(['drivers/iommu/intel/svm.o']);
    expect(planObjects(['include/linux/api.h'], 'x86_64', { srcDir: root }).skipped).toEqual([
      { path: 'include/linux/api.h', reason: 'header: no candidate .c file includes it' },
    ]);
  });

  it('leaves out objects that kbuild does not build with the config', () => {
    const files = [
      'drivers/dma/idxd/init.c',
      'drivers/dma/idxd/perfmon.c',
      'drivers/iommu/intel/svm.c',
      'drivers/iommu/arm/smmu/smmu-sva.c',
      'drivers/iommu/arm/smmu/smmu.c',
      'drivers/iommu/iommu.c',
    ];
    const x86 = new Map([
      ['DMADEVICES', 'y'],
      ['IDXD', 'm'],
      ['IOMMU_API', 'y'],
      ['INTEL_IOMMU', 'y'],
      ['SVM', 'y'],
    ]);
    const planX86 = planObjects(files, 'x86_64', { srcDir: root, config: x86 });
    expect(planX86.objects).toEqual(['drivers/dma/idxd/init.o', 'drivers/iommu/intel/svm.o', 'drivers/iommu/iommu.o']);
    expect(planX86.skipped.find((s) => s.path === 'drivers/dma/idxd/perfmon.o')?.reason).toMatch(/idxd-\$\(CONFIG_PERF\)/);

    const arm = new Map([
      ['IOMMU_API', 'y'],
      ['SVM', 'y'], // without INTEL_IOMMU the ifdef hides svm.o
      ['SMMU', 'y'],
      ['SMMU_SVA', 'y'],
    ]);
    expect(objectsFor(files, 'arm64', { srcDir: root, config: arm })).toEqual([
      'drivers/iommu/arm/smmu/smmu-sva.o',
      'drivers/iommu/arm/smmu/smmu.o',
      'drivers/iommu/iommu.o',
    ]);
    expect(objectsFor(files, 'arm64', { srcDir: root, config: new Map([['SMMU', 'y']]) })).toEqual([
      'drivers/iommu/arm/smmu/smmu.o',
    ]);
  });
});

// The real thing: Debian's linux-source-6.1 from the cache (npm run fetch:kernel).
const kernelTests = process.env.KMIGRATE_KERNEL_TESTS === '1';
const cacheDir = path.join(
  process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : path.join(homedir(), '.cache'),
  'kmigrate',
);

describe.skipIf(!kernelTests)('real kbuild (KMIGRATE_KERNEL_TESTS=1; skipped otherwise: needs the kernel tree and build tools)', () => {
  it('prepares x86_64, reuses the prepared dir, and builds an object with its warnings', { timeout: 900_000 }, async () => {
    expect(ensureBuildTools(['x86_64']).missing).toEqual([]);
    // An out-of-tree build only reads the source tree; the cache tree stays untouched.
    const srcDir = path.join(cacheDir, 'linux-source-6.1');
    const buildDir = path.join(cacheDir, 'build', 'vitest-x86_64');
    const options = kconfigOptions('x86_64', getMigration('iommu-sva-bind-flags')!.meta.kconfig);
    const first = await prepareBuild({ srcDir, buildDir, arch: 'x86_64', options });
    expect(first.ok, first.log).toBe(true);
    expect(readBuildConfig(buildDir)?.get('INTEL_IDXD_SVM')).toBe('y');
    const second = await prepareBuild({ srcDir, buildDir, arch: 'x86_64', options });
    expect(second).toMatchObject({ ok: true, reused: true });

    const built = await buildObjects({ srcDir, buildDir, arch: 'x86_64', objects: ['drivers/misc/uacce/uacce.o', 'drivers/nope/x.o'] });
    expect(built.results[0]).toMatchObject({ object: 'drivers/misc/uacce/uacce.o', ok: true, errors: [] });
    expect(built.results[1]).toMatchObject({ object: 'drivers/nope/x.o', ok: false });
    expect(built.ok).toBe(false);
  });
});
