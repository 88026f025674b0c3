// What a build dir is configured with, and configuring it: defconfig, the
// migration's Kconfig options (meta.kconfig; kbuild itself knows no driver),
// WERROR=n, olddefconfig and prepare, reused while nothing that decides the
// .config has changed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DEFAULT_JOBS, makeArgs, runMerged, shellWords } from './make.js';
import { crossCompileFor, type KernelArch } from './toolchain.js';

const STAMP = '.kmigrate-prepare.json';

/** Kconfig options per architecture, on top of defconfig (a migration's `kconfig`). */
export type ArchKconfig = { readonly [A in KernelArch]?: readonly string[] };

/**
 * The options a build is configured with: defconfig, then `kconfig`'s list
 * for `arch` (what makes the migration's drivers real: a migration knows,
 * kbuild does not), then WERROR=n. `NAME` or `NAME=y` enables, `NAME=m`
 * makes a module, `NAME=n` disables. Without `kconfig` the build is plain
 * defconfig (the one config every tree has): objects defconfig does not
 * build are left out by planObjects, not failed.
 *
 * WERROR=n always: x86_64's defconfig turns it on, and then a new warning
 * stops the build instead of being reported and compared.
 */
export function kconfigOptions(arch: KernelArch, kconfig?: ArchKconfig): string[] {
  return [...(kconfig?.[arch] ?? []), 'WERROR=n'];
}

/**
 * The name of the build directory for `arch` configured with `options`:
 * `x86_64-<12 hex>`. Different options get different directories, so builds
 * for two migrations do not reconfigure (and rebuild) one directory in turn;
 * the stamp inside (prepareBuild) still checks everything else.
 */
export function buildDirName(arch: KernelArch, options: readonly string[]): string {
  return `${arch}-${sha256([...options].sort().join('\n')).slice(0, 12)}`;
}

interface OptionWant {
  name: string;
  value: 'y' | 'm' | 'n';
}

function parseOption(option: string): OptionWant {
  const m = /^(?:CONFIG_)?([A-Za-z0-9_]+)(?:=([ymn]))?$/.exec(option.trim());
  if (!m || !m[1]) throw new Error(`bad Kconfig option ${JSON.stringify(option)} (want NAME, NAME=y, NAME=m or NAME=n)`);
  return { name: m[1], value: (m[2] as OptionWant['value'] | undefined) ?? 'y' };
}

/** `CONFIG_X=v` lines and `# CONFIG_X is not set` (as 'n'), keyed without the CONFIG_ prefix. */
export function parseKconfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const set = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (set?.[1] !== undefined) {
      values.set(set[1], set[2] ?? '');
      continue;
    }
    const unset = /^# CONFIG_([A-Za-z0-9_]+) is not set$/.exec(line);
    if (unset?.[1] !== undefined) values.set(unset[1], 'n');
  }
  return values;
}

/** The .config of a build dir, parsed; undefined when there is none. */
export function readBuildConfig(buildDir: string): Map<string, string> | undefined {
  const file = path.join(buildDir, '.config');
  return existsSync(file) ? parseKconfig(readFileSync(file, 'utf8')) : undefined;
}

/** Options of `options` that `config` does not have as asked ('m' accepts 'y': a select may force it). */
function unmetOptions(config: ReadonlyMap<string, string>, options: readonly string[]): string[] {
  const unmet: string[] = [];
  for (const option of options) {
    const want = parseOption(option);
    const have = config.get(want.name) ?? 'n';
    const ok = want.value === 'n' ? have === 'n' : want.value === 'm' ? have === 'm' || have === 'y' : have === 'y';
    if (!ok) unmet.push(`${want.name}=${want.value} (have ${have === 'n' ? 'not set' : have})`);
  }
  return unmet;
}

export interface PrepareOptions {
  srcDir: string;
  buildDir: string;
  arch: KernelArch;
  /** Kconfig options on top of defconfig; default kconfigOptions(arch): only WERROR=n. */
  options?: readonly string[];
  /** make -j; default 2. */
  jobs?: number;
}

export interface PrepareResult {
  ok: boolean;
  /** True when an already prepared buildDir was kept as it was. */
  reused: boolean;
  /** Every command run and its output; on failure, the reason at the end. */
  log: string;
  /** Options the final .config does not have (their Kconfig dependencies are unmet). */
  unmetOptions: string[];
  ms: number;
}

interface PrepareStamp {
  version: 1;
  arch: KernelArch;
  options: string[];
  /** sha256 of the inputs that decide the .config: top Makefile, the arch's defconfig, the compiler. */
  inputs: string;
  /** sha256 of the .config that prepare ran with. */
  config: string;
  srcDir: string;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function defconfigFile(srcDir: string, arch: KernelArch): string {
  return arch === 'x86_64'
    ? path.join(srcDir, 'arch', 'x86', 'configs', 'x86_64_defconfig')
    : path.join(srcDir, 'arch', 'arm64', 'configs', 'defconfig');
}

async function compilerVersion(arch: KernelArch): Promise<string> {
  const r = await runMerged(`${crossCompileFor(arch)}gcc`, ['--version'], process.cwd());
  return r.output.split('\n')[0] ?? '';
}

async function prepareInputs(srcDir: string, arch: KernelArch): Promise<string> {
  const parts = [
    await readFile(path.join(srcDir, 'Makefile')),
    await readFile(defconfigFile(srcDir, arch)),
    Buffer.from(await compilerVersion(arch)),
  ];
  return sha256(Buffer.concat(parts.flatMap((p) => [p, Buffer.from('\0')])));
}

async function readStamp(buildDir: string): Promise<PrepareStamp | undefined> {
  try {
    return JSON.parse(await readFile(path.join(buildDir, STAMP), 'utf8')) as PrepareStamp;
  } catch {
    return undefined;
  }
}

/** "x86" or "arm64" from the first lines of a .config ("# Linux/x86 6.1.192 Kernel Configuration"). */
function configArch(buildDir: string): string | undefined {
  try {
    const head = readFileSync(path.join(buildDir, '.config'), 'utf8').slice(0, 400);
    return /# Linux\/(\S+) /.exec(head)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Configure and prepare an out-of-tree build dir: `make defconfig`, the
 * options (via the tree's scripts/config), `make olddefconfig`, check that
 * every option took, `make prepare`.
 *
 * Reuse: a stamp in buildDir records the arch, the options, a hash of what
 * decides the .config (top Makefile, defconfig, compiler version) and a hash
 * of the .config itself. When all of these match and the generated headers
 * exist, nothing is run. The source dir may differ from the one the dir was
 * prepared with (kbuild follows its own dependency files).
 * A build dir configured for another arch is first cleaned with
 * `make mrproper` (kbuild's own cleaning; nothing else is deleted).
 */
export async function prepareBuild(opts: PrepareOptions): Promise<PrepareResult> {
  const started = performance.now();
  const srcDir = path.resolve(opts.srcDir);
  const buildDir = path.resolve(opts.buildDir);
  const options = [...(opts.options ?? kconfigOptions(opts.arch))];
  const jobs = opts.jobs ?? DEFAULT_JOBS;
  let log = '';
  const done = (ok: boolean, reused: boolean, unmet: string[] = []): PrepareResult => ({
    ok,
    reused,
    log,
    unmetOptions: unmet,
    ms: performance.now() - started,
  });

  for (const o of options) parseOption(o); // throws on a malformed option
  if (!existsSync(path.join(srcDir, 'Makefile'))) {
    log += `no kernel tree at ${srcDir} (no Makefile)\n`;
    return done(false, false);
  }
  await mkdir(buildDir, { recursive: true });

  const inputs = await prepareInputs(srcDir, opts.arch);
  const stamp = await readStamp(buildDir);
  const configPath = path.join(buildDir, '.config');
  const wanted = { arch: opts.arch, options: [...options].sort(), inputs };
  if (
    stamp &&
    stamp.version === 1 &&
    stamp.arch === wanted.arch &&
    stamp.inputs === wanted.inputs &&
    JSON.stringify(stamp.options) === JSON.stringify(wanted.options) &&
    existsSync(configPath) &&
    sha256(await readFile(configPath)) === stamp.config &&
    existsSync(path.join(buildDir, 'include', 'generated', 'autoconf.h')) &&
    existsSync(path.join(buildDir, 'include', 'config', 'auto.conf'))
  ) {
    log += `reusing ${buildDir}: prepared for ${opts.arch} with the same .config\n`;
    return done(true, true);
  }

  await rm(path.join(buildDir, STAMP), { force: true });
  const base = makeArgs(srcDir, buildDir, opts.arch);
  const step = async (cmd: string, args: string[]): Promise<boolean> => {
    log += `$ ${shellWords([cmd, ...args])}\n`;
    const r = await runMerged(cmd, args, srcDir);
    log += r.output;
    if (r.code !== 0) log += `exit status ${r.code}\n`;
    return r.code === 0;
  };

  // A dir configured for another arch is cleaned first (kbuild's own mrproper,
  // nothing else is deleted); other changes kbuild follows by itself.
  const previous = configArch(buildDir);
  const previousArch = previous === undefined ? undefined : previous === 'x86' ? 'x86_64' : previous;
  if (previousArch !== undefined && previousArch !== opts.arch) {
    const args = ['-C', srcDir, `O=${buildDir}`, `ARCH=${previousArch}`, 'mrproper'];
    if (!(await step('make', args))) return done(false, false);
  }
  if (!(await step('make', [...base, 'defconfig']))) return done(false, false);

  const configArgs = ['--file', configPath];
  for (const o of options) {
    const { name, value } = parseOption(o);
    configArgs.push(value === 'y' ? '-e' : value === 'm' ? '-m' : '-d', name);
  }
  if (!(await step('bash', [path.join(srcDir, 'scripts', 'config'), ...configArgs]))) return done(false, false);
  if (!(await step('make', [...base, 'olddefconfig']))) return done(false, false);

  const config = readBuildConfig(buildDir) ?? new Map<string, string>();
  const unmet = unmetOptions(config, options);
  if (unmet.length > 0) {
    log += `after olddefconfig these options are not as asked (unmet Kconfig dependencies?): ${unmet.join(', ')}\n`;
    return done(false, false, unmet);
  }
  if (!(await step('make', [...base, `-j${jobs}`, 'prepare']))) return done(false, false);

  const newStamp: PrepareStamp = {
    version: 1,
    ...wanted,
    config: sha256(await readFile(configPath)),
    srcDir,
  };
  await writeFile(path.join(buildDir, STAMP), `${JSON.stringify(newStamp, null, 2)}\n`);
  return done(true, false);
}
