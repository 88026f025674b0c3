// The pieces of format-patch --split-by: MAINTAINERS read as
// get_maintainer.pl reads it, subject prefixes from paths, and the grouping
// of a treewide change into patches (coupled files together, a shared
// header first with the patches that need it saying so).
import { describe, expect, it } from 'vitest';
import { groupFiles, includedHeaders } from '../../codemods/patch/group.js';
import { Maintainers, parseMaintainers, perlRegex } from '../../codemods/patch/maintainers.js';
import { commonPrefix, filePrefix, pathPrefix, prefixMapError, subjectOf } from '../../codemods/patch/prefix.js';

const MAINTAINERS = `List of maintainers
	M: *Mail* patches to: FullName <address@domain>

Maintainers List
----------------

ARM/FREESCALE IMX I2C DRIVER
M:	Oleksij Rempel <o.rempel@example.org>
L:	linux-i2c@example.org
S:	Maintained
F:	drivers/i2c/busses/i2c-imx.c
F:	drivers/i2c/busses/i2c-imx-lpi2c.c

ARM/FREESCALE IMX / MXC ARM ARCHITECTURE
M:	Shawn Guo <shawn@example.org>
L:	linux-arm-kernel@example.org (moderated for non-subscribers)
S:	Maintained
N:	imx
F:	arch/arm/mach-imx/

I2C SUBSYSTEM HOST DRIVERS
M:	Andi Host <andi@example.org>
L:	linux-i2c@example.org
S:	Maintained
F:	drivers/i2c/busses/
X:	drivers/i2c/busses/i2c-skip.c

I2C MUX
M:	Peter Mux <peter@example.org>
S:	Maintained
F:	drivers/i2c/i2c-mux*
K:	i2c_mux_\\w+

THE REST
M:	Linus <linus@example.org>
L:	linux-kernel@example.org
S:	Buried alive in reporters
F:	*
F:	*/
`;

describe('MAINTAINERS', () => {
  const m = new Maintainers(MAINTAINERS);

  it('reads sections, their people, lists (first word only) and patterns; the intro is no section', () => {
    const s = parseMaintainers(MAINTAINERS);
    expect(s.map((x) => x.name)).toEqual(['List of maintainers', 'Maintainers List', 'ARM/FREESCALE IMX I2C DRIVER', 'ARM/FREESCALE IMX / MXC ARM ARCHITECTURE', 'I2C SUBSYSTEM HOST DRIVERS', 'I2C MUX', 'THE REST'].filter((n) => s.some((x) => x.name === n)));
    const imx = s.find((x) => x.name === 'ARM/FREESCALE IMX / MXC ARM ARCHITECTURE')!;
    expect(imx).toMatchObject({ people: ['Shawn Guo <shawn@example.org>'], lists: ['linux-arm-kernel@example.org'], names: ['imx'], files: ['arch/arm/mach-imx/'] });
    expect(s.find((x) => x.name === 'I2C MUX')!.keywords).toEqual(['i2c_mux_\\w+']);
  });

  it('picks the most specific entry: a file pattern beats its directory, a directory beats THE REST', () => {
    expect(m.entryOf('drivers/i2c/busses/i2c-imx.c')?.name).toBe('ARM/FREESCALE IMX I2C DRIVER');
    expect(m.entryOf('drivers/i2c/busses/i2c-mxs.c')?.name).toBe('I2C SUBSYSTEM HOST DRIVERS');
    expect(m.entryOf('drivers/i2c/busses/deeper/x.c')?.name).toBe('I2C SUBSYSTEM HOST DRIVERS');
    expect(m.entryOf('fs/super.c')?.name).toBe('THE REST');
    expect(m.match('drivers/i2c/busses/i2c-imx.c').map((x) => [x.section.name, x.depth])).toEqual([
      ['ARM/FREESCALE IMX I2C DRIVER', 4],
      ['I2C SUBSYSTEM HOST DRIVERS', 3],
      // N: imx matches the path anywhere: depth 0, after the F: matches;
      // THE REST's `*` is -1, as in get_maintainer.pl.
      ['ARM/FREESCALE IMX / MXC ARM ARCHITECTURE', 0],
      ['THE REST', -1],
    ]);
  });

  it('honours X:, wildcards at their own depth only, and N: regexes', () => {
    expect(m.entryOf('drivers/i2c/busses/i2c-skip.c')?.name).toBe('THE REST');
    expect(m.entryOf('drivers/i2c/i2c-mux-gpio.c')?.name).toBe('I2C MUX');
    // `i2c-mux*` is a file pattern: it does not reach into a subdirectory.
    expect(m.match('drivers/i2c/i2c-mux/sub.c').map((x) => x.section.name)).not.toContain('I2C MUX');
    expect(m.match('drivers/gpio/gpio-imx.c').map((x) => x.section.name)).toContain('ARM/FREESCALE IMX / MXC ARM ARCHITECTURE');
  });

  it('reads K: patterns as Perl would: /x blanks, (?i) and (?i:…) with exactly the same matches', () => {
    expect(perlRegex('\\b(?i:clang|llvm)\\b').test('uses LLVM here')).toBe(true);
    expect(perlRegex('\\b(?i:clang|llvm)\\b').test('llvmx')).toBe(false);
    expect(perlRegex('(?i)pidfd').test('PIDFD_OPEN')).toBe(true);
    expect(perlRegex('of_get_property \\s*\\(').test('of_get_property (np')).toBe(true);
    expect(() => perlRegex('(?i:[a-z])')).toThrow(/cannot fold/);
  });

  it('tells lists from people, with or without a name', () => {
    expect(m.isList('linux-i2c@example.org')).toBe(true);
    expect(m.isList('LINUX-ARM-KERNEL@example.org')).toBe(true);
    expect(m.isList('Andi Host <andi@example.org>')).toBe(false);
  });

  it('keys get_maintainer answers by sections, depths and keywords: files with the same key share one run', () => {
    const a = m.answerKey('drivers/i2c/busses/i2c-mxs.c', 'int x;');
    expect(m.answerKey('drivers/i2c/busses/i2c-foo.c', 'int y;')).toBe(a);
    expect(m.answerKey('drivers/i2c/busses/i2c-imx.c', 'int y;')).not.toBe(a);
    expect(m.answerKey('drivers/i2c/busses/i2c-foo.c', 'i2c_mux_add_adapter(x);')).not.toBe(a);
  });
});

describe('subject prefixes', () => {
  it.each([
    ['drivers/i2c/busses/i2c-imx.c', 'i2c: imx:'],
    ['drivers/gpio/gpio-mxc.c', 'gpio: mxc:'],
    ['drivers/spi/spi-sh-msiof.c', 'spi: sh-msiof:'],
    ['drivers/mmc/host/sdhci-of-esdhc.c', 'mmc: sdhci-of-esdhc:'],
    ['drivers/gpu/drm/imx/dcss/dcss-drv.c', 'drm/imx/dcss:'],
    ['drivers/gpu/drm/drm_foo.c', 'drm: drm_foo:'],
    ['drivers/net/ethernet/ti/cpsw.c', 'net: ethernet: ti: cpsw:'],
    ['drivers/tty/serial/imx.c', 'serial: imx:'],
    ['drivers/usb/dwc3/dwc3-imx8mp.c', 'usb: dwc3: imx8mp:'],
    ['sound/soc/fsl/fsl_ssi.c', 'ASoC: fsl: ssi:'],
    ['drivers/net/wireless/ath/ath10k/ahb.c', 'wifi: ath: ath10k: ahb:'],
    ['arch/arm/mach-imx/mmdc.c', 'ARM: imx: mmdc:'],
    ['drivers/mfd/qbr/qbr.c', 'mfd: qbr:'],
    ['fs/pstore/ram.c', 'fs: pstore: ram:'],
  ])('%s → %s', (path, want) => {
    expect(subjectOf(pathPrefix(path), 'X')).toBe(`${want} X`);
  });

  it('a line over 75 characters loses the components between subsystem and driver, the outer one first', () => {
    const summary = 'Convert to platform remove callback returning void';
    expect(subjectOf(pathPrefix('drivers/net/ethernet/ti/cpsw.c'), summary)).toBe(`net: ethernet: ti: cpsw: ${summary}`);
    expect(subjectOf(pathPrefix('drivers/net/ethernet/ti/am65-cpts.c'), summary)).toBe(`net: ti: am65-cpts: ${summary}`);
    expect(subjectOf(pathPrefix('drivers/net/ethernet/mellanox/mlxbf_gige/mlxbf_gige_main.c'), summary)).toBe(`net: mlxbf_gige: main: ${summary}`);
    // Two components (subsystem, driver) are kept whatever the length; so is an override.
    expect(subjectOf({ parts: ['media', 'a-very-long-driver-name-indeed'] }, summary)).toBe(`media: a-very-long-driver-name-indeed: ${summary}`);
    expect(subjectOf({ parts: ['net: ethernet: ti: am65-cpts'], override: true }, summary)).toBe(`net: ethernet: ti: am65-cpts: ${summary}`);
  });

  it('an override map wins, longest path prefix first; a trailing colon is not doubled', () => {
    const map = { 'drivers/net/': 'net:', 'drivers/net/ethernet/stmicro/stmmac/': 'net: stmmac:' };
    expect(subjectOf(filePrefix('drivers/net/ethernet/stmicro/stmmac/dwmac-imx.c', map), 'X')).toBe('net: stmmac: X');
    expect(subjectOf(filePrefix('drivers/net/phy/foo.c', map), 'X')).toBe('net: X');
    expect(filePrefix('drivers/spi/spi-a.c', map).override).toBeUndefined();
  });

  it('several files share their common leading part; nothing in common keeps the first', () => {
    expect(commonPrefix([pathPrefix('drivers/mfd/qbr/qbr-core.c'), pathPrefix('drivers/mfd/qbr/qbr-drv.c')]).parts).toEqual(['mfd', 'qbr']);
    expect(commonPrefix([pathPrefix('drivers/spi/spi-a.c'), pathPrefix('drivers/gpio/gpio-b.c')]).parts).toEqual(['spi', 'a']);
  });

  it('checks a prefix map: an object of non-empty strings', () => {
    expect(prefixMapError({ 'a/': 'a:' })).toBeUndefined();
    expect(prefixMapError(['a'])).toMatch(/JSON object/);
    expect(prefixMapError({ 'a/': 3 })).toMatch(/key 'a\/'/);
  });
});

describe('grouping', () => {
  const c = (path: string, includes: string[] = []) => ({ path, before: includes.map((i) => `#include ${i}\n`).join('') + 'int x;\n' });

  it('resolves quoted includes from the .c file, angle ones from include/ and arch/*/include/', () => {
    const headers = new Set(['drivers/foo/foo.h', 'include/linux/bar.h', 'arch/arm/include/asm/baz.h']);
    expect(includedHeaders(c('drivers/foo/sub/a.c', ['"../foo.h"', '<linux/bar.h>', '<asm/baz.h>', '<linux/none.h>']), headers).sort()).toEqual([...headers].sort());
  });

  it('one patch per .c file; coupled files together; a header with its only includer', () => {
    const files = [c('drivers/i2c/busses/i2c-a.c'), c('drivers/i2c/busses/i2c-b.c'), c('drivers/mfd/q/q-core.c', ['"q.h"']), c('drivers/mfd/q/q-drv.c'), { path: 'drivers/mfd/q/q.h', before: '' }];
    const groups = groupFiles(files, [['drivers/mfd/q/q-core.c', 'drivers/mfd/q/q-drv.c']], 'driver');
    expect(groups.map((g) => g.files)).toEqual([['drivers/i2c/busses/i2c-a.c'], ['drivers/i2c/busses/i2c-b.c'], ['drivers/mfd/q/q-core.c', 'drivers/mfd/q/q-drv.c', 'drivers/mfd/q/q.h']]);
    expect(groups.every((g) => g.dependsOn.length === 0)).toBe(true);
  });

  it('a header several groups include goes first, alone, and those groups depend on it', () => {
    const files = [c('drivers/x/x-a.c', ['<linux/common.h>']), c('drivers/y/y-b.c', ['<linux/common.h>']), c('drivers/z/z.c'), { path: 'include/linux/common.h', before: '' }];
    const groups = groupFiles(files, [], 'driver');
    expect(groups.map((g) => g.files)).toEqual([['include/linux/common.h'], ['drivers/x/x-a.c'], ['drivers/y/y-b.c'], ['drivers/z/z.c']]);
    expect(groups.map((g) => g.dependsOn)).toEqual([[], [0], [0], []]);
  });

  it('by subsystem: one patch per most specific MAINTAINERS entry', () => {
    const m = new Maintainers(MAINTAINERS);
    const files = [c('drivers/i2c/busses/i2c-imx.c'), c('drivers/i2c/busses/i2c-mxs.c'), c('drivers/i2c/busses/i2c-foo.c'), c('fs/a.c')];
    const groups = groupFiles(files, [], 'subsystem', m);
    expect(groups.map((g) => [g.entry, g.files])).toEqual([
      ['I2C SUBSYSTEM HOST DRIVERS', ['drivers/i2c/busses/i2c-foo.c', 'drivers/i2c/busses/i2c-mxs.c']],
      ['ARM/FREESCALE IMX I2C DRIVER', ['drivers/i2c/busses/i2c-imx.c']],
      ['THE REST', ['fs/a.c']],
    ]);
  });
});
