// The subject prefix a kernel subsystem uses for a file: `i2c: imx:`,
// `gpio: mxc:`, `mmc: sdhci-of-esdhc:`, `drm/imx/dcss:`, `net: ethernet: ti:
// cpsw:`, `ASoC: fsl: fsl_ssi:`. Derived from the path with a small table of
// the subsystems whose prefix is not their directory's name; a JSON map of
// path prefixes to subject prefixes overrides it (the longest prefix wins).
//
// A prefix is a list of components, so that the prefix of several files
// (one driver's, or one MAINTAINERS entry's) is their common leading part.

export interface Prefix {
  /** `['i2c', 'imx']` prints as `i2c: imx:`; `['drm/imx/dcss']` as `drm/imx/dcss:`. */
  parts: string[];
  /** Set when an override gave the whole prefix. */
  override?: boolean;
}

/** Directories that hold many drivers and never appear in a subject. */
const GENERIC_DIRS = new Set(['busses', 'host', 'controller', 'controllers', 'chips', 'master', 'platform', 'drivers', 'core', 'hw', 'common', 'devices', 'misc']);

/** Subsystem directories whose prefix is not the directory's name. */
const SUBSYSTEM_NAMES: readonly [string, string[]][] = [
  ['drivers/tty/serial/', ['serial']],
  ['drivers/net/wireless/', ['wifi']],
  ['drivers/net/can/', ['can']],
  ['drivers/net/ethernet/', ['net', 'ethernet']],
  ['drivers/net/', ['net']],
  ['drivers/media/platform/', ['media']],
  ['drivers/media/', ['media']],
  ['drivers/video/fbdev/', ['fbdev']],
  ['drivers/staging/', ['staging']],
  ['drivers/soc/', ['soc']],
  ['drivers/hwtracing/coresight/', ['coresight']],
  ['drivers/iio/', ['iio']],
  ['drivers/input/', ['Input']],
  ['drivers/rtc/', ['rtc']],
  ['drivers/remoteproc/', ['remoteproc']],
  ['drivers/phy/', ['phy']],
  ['drivers/mtd/', ['mtd']],
  ['drivers/usb/', ['usb']],
  ['drivers/pci/', ['PCI']],
  ['drivers/platform/x86/', ['platform/x86']],
  ['drivers/platform/', ['platform']],
  ['drivers/firmware/', ['firmware']],
  ['sound/soc/', ['ASoC']],
  ['sound/', ['ALSA']],
];

const ARCH_NAMES: Record<string, string> = { arm: 'ARM', mips: 'MIPS', sh: 'sh', x86: 'x86', powerpc: 'powerpc', arm64: 'arm64', m68k: 'm68k', sparc: 'sparc' };

/** `i2c-imx` without `i2c-` when the subsystem is `i2c`; `sdhci-of-esdhc` stays. */
function stripOwnPrefix(stem: string, owners: readonly string[]): string {
  let s = stem;
  for (const o of owners) {
    const low = o.toLowerCase();
    for (const sep of ['-', '_']) {
      if (s.toLowerCase().startsWith(low + sep) && s.length > low.length + 1) s = s.slice(low.length + 1);
    }
  }
  return s;
}

/** The prefix of one file, from its path alone. */
export function pathPrefix(path: string): Prefix {
  const dirs = path.split('/');
  const file = dirs.pop()!;
  const stem = file.replace(/\.[^.]+$/, '');

  if (path.startsWith('drivers/gpu/drm/')) {
    // DRM names the driver's directory: drm/imx/dcss, drm/msm; a file of the
    // core: drm: <stem>.
    const sub = dirs.slice(3);
    return { parts: sub.length > 0 ? [['drm', ...sub].join('/')] : ['drm', stem] };
  }
  if (dirs[0] === 'arch' && dirs.length >= 2) {
    const arch = ARCH_NAMES[dirs[1]!] ?? dirs[1]!;
    const mach = dirs.find((d) => /^(mach|plat)-/.test(d));
    return { parts: mach ? [arch, mach.replace(/^(mach|plat)-/, ''), stripOwnPrefix(stem, [mach.replace(/^(mach|plat)-/, '')])] : [arch, stem] };
  }

  let head: string[] | undefined;
  let rest: string[] = [];
  for (const [dir, name] of SUBSYSTEM_NAMES) {
    if (path.startsWith(dir)) {
      head = name;
      rest = dirs.slice(dir.split('/').length - 1);
      break;
    }
  }
  if (!head) {
    // drivers/<subsys>/..., or a top-level directory (fs/, kernel/, ...).
    const n = dirs[0] === 'drivers' && dirs.length >= 2 ? 2 : 1;
    head = [dirs[n - 1] ?? stem];
    rest = dirs.slice(n);
  }
  // At most two directories below the subsystem, the bus directories left out.
  const mid = rest.filter((d) => !GENERIC_DIRS.has(d)).slice(0, 2);
  const owners = [...head, ...mid].flatMap((p) => p.split('/'));
  const driver = stripOwnPrefix(stem, owners);
  const last = mid[mid.length - 1] ?? head[head.length - 1]!;
  const parts = [...head, ...mid];
  // drivers/foo/bar/bar.c is `foo: bar:`, not `foo: bar: bar:`.
  if (driver.toLowerCase() !== last.toLowerCase()) parts.push(driver);
  return { parts };
}

/** A `--prefix-map` file's content: path prefix → subject prefix. */
export type PrefixMap = Record<string, string>;

/** Check a parsed `--prefix-map`: an object of strings. Returns an error message or undefined. */
export function prefixMapError(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be a JSON object of path prefix to subject prefix';
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'string' || v.trim() === '') return `key '${k}': the subject prefix must be a non-empty string`;
  return undefined;
}

/** The prefix of one file: the override with the longest matching path prefix, else the path's. */
export function filePrefix(path: string, map: PrefixMap = {}): Prefix {
  let best: string | undefined;
  for (const k of Object.keys(map)) if (path.startsWith(k) && (best === undefined || k.length > best.length)) best = k;
  if (best !== undefined) return { parts: [map[best]!.trim().replace(/:$/, '')], override: true };
  return pathPrefix(path);
}

/**
 * The prefix several files share: the leading components common to all
 * (`i2c: imx:` and `i2c: mxs:` give `i2c:`); the first file's when they
 * share nothing.
 */
export function commonPrefix(prefixes: readonly Prefix[]): Prefix {
  if (prefixes.length === 0) return { parts: [] };
  let parts = prefixes[0]!.parts;
  for (const p of prefixes.slice(1)) {
    let n = 0;
    while (n < parts.length && n < p.parts.length && parts[n] === p.parts[n]) n++;
    parts = parts.slice(0, n);
  }
  return parts.length > 0 ? { parts } : prefixes[0]!;
}

/**
 * The longest `prefix: summary` line wanted: Documentation/process/
 * submitting-patches.rst asks for a summary of no more than 70-75
 * characters (it is the line `git log --oneline` shows).
 */
export const SUBJECT_MAX = 75;

/**
 * `i2c: imx: ` then the summary. A line longer than SUBJECT_MAX loses the
 * components between the subsystem and the driver, the outer one first
 * (`net: ethernet: ti: am65-cpts:` → `net: ti: am65-cpts:` → `net:
 * am65-cpts:`), as subsystems shorten by hand; the subsystem and the driver
 * stay, and an override from the prefix map is kept as given.
 */
export function subjectOf(prefix: Prefix, summary: string): string {
  let parts = prefix.parts;
  const line = () => (parts.length > 0 ? `${parts.join(': ')}: ${summary}` : summary);
  while (!prefix.override && parts.length > 2 && line().length > SUBJECT_MAX) parts = [parts[0]!, ...parts.slice(2)];
  return line();
}
